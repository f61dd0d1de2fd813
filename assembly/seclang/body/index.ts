// Request-body processors for SecLang (ModSecurity/Coraza semantics): the entry points the WAF
// engine calls. Every function takes hostile bytes and never traps; errors come back as text.
export { XmlResult, MultipartResult } from "./results";
export { parseUrlencoded, parseUrlencodedLimited } from "./urlencoded";
export { parseJson, parseJsonLimited, JsonLimits } from "./json";
export { parseXml } from "./xml";
export { parseMultipart } from "./multipart";
