// Encodings plugins need: base64/base64url, hex, UTF-8 validation, percent-encoding, query strings,
// cookies, URL path normalisation. Each has a (ptr, len) core for zero-copy host buffers.
export { BytesResult, StringResult, ByteSink, utf8Bytes, utf8String } from "./bytes";
export { utf8InvalidAt, isValidUtf8, isValidUtf8Ptr, utf8SeqLen } from "./utf8";
export {
  Padding, Base64Options, base64DecodePtr, base64Decode, base64DecodeString, base64UrlDecode,
  base64EncodeToBytes, base64Encode, base64UrlEncode,
} from "./base64";
export { hexEncode, hexEncodePtr, hexDecode, hexDecodePtr } from "./hex";
export { PercentOptions, percentDecodePtr, percentDecode, percentEncode } from "./percent";
export { QueryParam, QueryOptions, QueryResult, parseQueryPtr, parseQuery, parsePathQuery } from "./query";
export { Cookie, CookieResult, getCookiePtr, getCookie, parseCookiesPtr, parseCookies } from "./cookie";
export { PathOptions, normalizePathPtr, normalizePath } from "./path";
