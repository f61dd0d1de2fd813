// HTTP helpers plugins need: header validation as Envoy/Istio apply it, media types, list
// headers, Accept, Bearer tokens, Set-Cookie.
export { isTokenChar, isToken, trimOws, lowerAscii } from "./token";
export {
  badHeaderNameAt, badHeaderValueAt, isEnvoySafeHeaderValuePtr, isEnvoySafeHeaderValue, checkHeaderName,
  canonicalHeaderName, checkHeaderValue,
} from "./headers";
export { MediaParam, MediaType, parseMediaType } from "./media_type";
export { splitHeaderList, acceptsHtml } from "./list";
export { extractBearer, extractJwtLikeEnvoy } from "./bearer";
export { SameSite, SetCookie } from "./set_cookie";
