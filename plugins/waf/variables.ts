// The SecLang variables the engine knows: a number per variable, whether it is a collection (has members
// selectable as `NAME:key`) and how a rule's target list (`ARGS|!ARGS:x|&TX:y|XML:/*`) is compiled.
import { Regex } from "../../assembly/regex/index";

export enum Var {
  // Collections (members are name/value pairs).
  ARGS, ARGS_GET, ARGS_POST, ARGS_NAMES, ARGS_GET_NAMES, ARGS_POST_NAMES,
  REQUEST_HEADERS, REQUEST_HEADERS_NAMES, REQUEST_COOKIES, REQUEST_COOKIES_NAMES,
  RESPONSE_HEADERS, RESPONSE_HEADERS_NAMES, TX, ENV, FILES, FILES_NAMES, FILES_SIZES, FILES_TMPNAMES,
  FILES_TMP_CONTENT, MULTIPART_PART_HEADERS, XML, MATCHED_VARS, MATCHED_VARS_NAMES, GEO, RULE,
  IP, SESSION, USER, GLOBAL, RESOURCE, REQUEST_TRAILERS, RESPONSE_TRAILERS,
  // Scalars.
  REQUEST_LINE, REQUEST_METHOD, REQUEST_URI, REQUEST_URI_RAW, REQUEST_FILENAME, REQUEST_BASENAME,
  QUERY_STRING, REQUEST_PROTOCOL, REQUEST_BODY, REQUEST_BODY_LENGTH, REMOTE_ADDR, REMOTE_HOST, REMOTE_PORT,
  REMOTE_USER, SERVER_ADDR, SERVER_NAME, SERVER_PORT, RESPONSE_BODY, RESPONSE_STATUS, RESPONSE_PROTOCOL,
  RESPONSE_CONTENT_TYPE, RESPONSE_CONTENT_LENGTH, REQBODY_PROCESSOR, REQBODY_ERROR, REQBODY_ERROR_MSG,
  REQBODY_PROCESSOR_ERROR, REQBODY_PROCESSOR_ERROR_MSG, ARGS_COMBINED_SIZE, FILES_COMBINED_SIZE, MATCHED_VAR,
  MATCHED_VAR_NAME, UNIQUE_ID, DURATION, TIME, TIME_DAY, TIME_EPOCH, TIME_HOUR, TIME_MIN, TIME_MON, TIME_SEC,
  TIME_WDAY, TIME_YEAR, HIGHEST_SEVERITY, STATUS_LINE, FULL_REQUEST, FULL_REQUEST_LENGTH, INBOUND_DATA_ERROR,
  OUTBOUND_DATA_ERROR, AUTH_TYPE, PATH_INFO, URLENCODED_ERROR, WEBSERVER_ERROR_LOG, MSC_PCRE_LIMITS_EXCEEDED,
  REQUEST_CONTENT_TYPE, MULTIPART_FILENAME, MULTIPART_NAME, MULTIPART_BOUNDARY_QUOTED,
  MULTIPART_BOUNDARY_WHITESPACE, MULTIPART_CRLF_LF_LINES, MULTIPART_DATA_AFTER, MULTIPART_DATA_BEFORE,
  MULTIPART_FILE_LIMIT_EXCEEDED, MULTIPART_HEADER_FOLDING, MULTIPART_INVALID_HEADER_FOLDING,
  MULTIPART_INVALID_PART, MULTIPART_INVALID_QUOTING, MULTIPART_LF_LINE, MULTIPART_MISSING_SEMICOLON,
  MULTIPART_SEMICOLON_MISSING, MULTIPART_STRICT_ERROR, MULTIPART_UNMATCHED_BOUNDARY,
  COUNT, // not a variable: the number of variables
}

export const FIRST_SCALAR: i32 = Var.REQUEST_LINE;

// Names in enum order (kept beside the enum so the two cannot drift: a test compares the lengths).
export const VAR_NAMES: string[] = [
  "ARGS", "ARGS_GET", "ARGS_POST", "ARGS_NAMES", "ARGS_GET_NAMES", "ARGS_POST_NAMES",
  "REQUEST_HEADERS", "REQUEST_HEADERS_NAMES", "REQUEST_COOKIES", "REQUEST_COOKIES_NAMES",
  "RESPONSE_HEADERS", "RESPONSE_HEADERS_NAMES", "TX", "ENV", "FILES", "FILES_NAMES", "FILES_SIZES", "FILES_TMPNAMES",
  "FILES_TMP_CONTENT", "MULTIPART_PART_HEADERS", "XML", "MATCHED_VARS", "MATCHED_VARS_NAMES", "GEO", "RULE",
  "IP", "SESSION", "USER", "GLOBAL", "RESOURCE", "REQUEST_TRAILERS", "RESPONSE_TRAILERS",
  "REQUEST_LINE", "REQUEST_METHOD", "REQUEST_URI", "REQUEST_URI_RAW", "REQUEST_FILENAME", "REQUEST_BASENAME",
  "QUERY_STRING", "REQUEST_PROTOCOL", "REQUEST_BODY", "REQUEST_BODY_LENGTH", "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_PORT",
  "REMOTE_USER", "SERVER_ADDR", "SERVER_NAME", "SERVER_PORT", "RESPONSE_BODY", "RESPONSE_STATUS", "RESPONSE_PROTOCOL",
  "RESPONSE_CONTENT_TYPE", "RESPONSE_CONTENT_LENGTH", "REQBODY_PROCESSOR", "REQBODY_ERROR", "REQBODY_ERROR_MSG",
  "REQBODY_PROCESSOR_ERROR", "REQBODY_PROCESSOR_ERROR_MSG", "ARGS_COMBINED_SIZE", "FILES_COMBINED_SIZE", "MATCHED_VAR",
  "MATCHED_VAR_NAME", "UNIQUE_ID", "DURATION", "TIME", "TIME_DAY", "TIME_EPOCH", "TIME_HOUR", "TIME_MIN", "TIME_MON", "TIME_SEC",
  "TIME_WDAY", "TIME_YEAR", "HIGHEST_SEVERITY", "STATUS_LINE", "FULL_REQUEST", "FULL_REQUEST_LENGTH", "INBOUND_DATA_ERROR",
  "OUTBOUND_DATA_ERROR", "AUTH_TYPE", "PATH_INFO", "URLENCODED_ERROR", "WEBSERVER_ERROR_LOG", "MSC_PCRE_LIMITS_EXCEEDED",
  "REQUEST_CONTENT_TYPE", "MULTIPART_FILENAME", "MULTIPART_NAME", "MULTIPART_BOUNDARY_QUOTED",
  "MULTIPART_BOUNDARY_WHITESPACE", "MULTIPART_CRLF_LF_LINES", "MULTIPART_DATA_AFTER", "MULTIPART_DATA_BEFORE",
  "MULTIPART_FILE_LIMIT_EXCEEDED", "MULTIPART_HEADER_FOLDING", "MULTIPART_INVALID_HEADER_FOLDING",
  "MULTIPART_INVALID_PART", "MULTIPART_INVALID_QUOTING", "MULTIPART_LF_LINE", "MULTIPART_MISSING_SEMICOLON",
  "MULTIPART_SEMICOLON_MISSING", "MULTIPART_STRICT_ERROR", "MULTIPART_UNMATCHED_BOUNDARY",
];

export function isCollection(v: i32): bool { return v < FIRST_SCALAR; }

/** VAR_NAMES as bytes (MATCHED_VAR_NAME of scalars and counts), encoded once. */
export const VAR_NAME_BYTES: Uint8Array[] = VAR_NAMES.map<Uint8Array>((n: string) => Uint8Array.wrap(String.UTF8.encode(n)));

/** The variable's number from its name (any case), or -1. */
export function varByName(name: string): i32 {
  const up = name.toUpperCase();
  for (let i = 0; i < VAR_NAMES.length; i++) if (unchecked(VAR_NAMES[i]) == up) return i;
  return -1;
}

/** One member selector: a literal key (compared case-insensitively) or a regex on the member name. */
export class Selector {
  /** For a literal TX member: its slot in the TX table (resolved when compilation finishes), else -1. */
  txSlot: i32 = -1;
  /** The key as bytes (the member name reported in MATCHED_VAR_NAME), encoded once. */
  keyBytes: Uint8Array;
  constructor(public key: string, public regex: Regex | null) {
    // Literal keys are lower-cased at compile time (compileSelector), so only the member name needs folding.
    this.keyBytes = Uint8Array.wrap(String.UTF8.encode(key));
  }
  /** A literal key of another length cannot select `name`: most members of a walk, told without a call. */
  @inline cannotMatch(name: Uint8Array): bool {
    return this.regex === null && name.length != this.keyBytes.length;
  }

  /** True when the member `name` is selected (literal keys: ASCII case-insensitive byte comparison). */
  matchesName(name: Uint8Array): bool {
    const re = this.regex;
    if (re !== null) return re.isMatchBytes(name.dataStart, name.length);
    const k = this.keyBytes;
    const n = k.length;
    if (name.length != n) return false;
    for (let i = 0; i < n; i++) {
      let x = <u32>unchecked(name[i]);
      if (x - 65 < 26) x += 32;
      if (x != <u32>unchecked(k[i])) return false;
    }
    return true;
  }
}

/** One entry of a rule's target list. */
export class Target {
  /** `TX:name` for a literal selector: the MATCHED_VAR_NAME of a member named like the key, built once. */
  literalName: Uint8Array | null = null;
  constructor(public v: i32, public selector: Selector | null, public count: bool) {
    if (selector !== null && selector.regex === null && isCollection(v)) {
      const vb = unchecked(VAR_NAME_BYTES[v]);
      const k = selector.keyBytes;
      const out = new Uint8Array(vb.length + 1 + k.length);
      out.set(vb, 0);
      unchecked(out[vb.length] = 58);
      out.set(k, vb.length + 1);
      this.literalName = out;
    }
  }
}

/** `!ARGS:x` (or a target removed by SecRuleUpdateTargetById / ctl): members of `v` never inspected. */
export class Exclusion {
  constructor(public v: i32, public selector: Selector | null) {}
}

export class TargetList {
  targets: Target[] = [];
  exclusions: Exclusion[] = [];
  error: string = "";
}

/** ASCII case-insensitive comparison of bytes with a (lower- or mixed-case) key. */
export function equalsIgnoreCase(b: Uint8Array, key: string): bool {
  if (b.length != key.length) {
    // Non-ASCII keys: compare through UTF-8 (rare; selectors are ASCII in practice).
    if (!isAscii(key)) return equalsIgnoreCaseUtf8(b, key);
    return false;
  }
  for (let i = 0; i < b.length; i++) {
    let x = <i32>unchecked(b[i]);
    let y = key.charCodeAt(i);
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x != y) return false;
  }
  return true;
}

function isAscii(s: string): bool {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

function equalsIgnoreCaseUtf8(b: Uint8Array, key: string): bool {
  const k = Uint8Array.wrap(String.UTF8.encode(key));
  if (k.length != b.length) return false;
  for (let i = 0; i < b.length; i++) {
    let x = <i32>b[i];
    let y = <i32>k[i];
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x != y) return false;
  }
  return true;
}

function isXmlPiece(spec: string, start: i32, colon: i32): bool {
  let name = spec.substring(start, colon).trim();
  while (name.startsWith("!") || name.startsWith("&")) name = name.substring(1);
  return name.toUpperCase() == "XML";
}

/** Splits `A|B:x|!C:/re|x/` on `|` outside a `/regex/` selector. */
function splitTargets(spec: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inRegex = false;
  for (let i = 0; i < spec.length; i++) {
    const c = spec.charCodeAt(i);
    if (c == 47 /* / */) {
      if (!inRegex) {
        // A regex selector opens right after the `:`, except for XML, whose selectors are XPath (`XML:/*`).
        if (i > 0 && spec.charCodeAt(i - 1) == 58 && !isXmlPiece(spec, start, i - 1)) inRegex = true;
      } else if (spec.charCodeAt(i - 1) != 92) {
        inRegex = false;
      }
    } else if (c == 124 /* | */ && !inRegex) {
      out.push(spec.substring(start, i));
      start = i + 1;
    }
  }
  out.push(spec.substring(start));
  return out;
}

/** Compiles a selector text (`foo`, `'foo'`, `/regex/`). */
export function compileSelector(text: string, err: string[]): Selector | null {
  let t = text;
  if (t.length >= 2 && t.charCodeAt(0) == 39 && t.charCodeAt(t.length - 1) == 39) t = t.substring(1, t.length - 1);
  if (t.length >= 3 && t.charCodeAt(0) == 47 && t.charCodeAt(t.length - 1) == 47) {
    // Member-name regexes ignore case, as in ModSecurity (TX names are stored lower-case).
    const res = Regex.compileFlags(t.substring(1, t.length - 1), "bi");
    if (res.regex === null) { err[0] = "bad selector regex /" + t.substring(1, t.length - 1) + "/: " + res.error; return null; }
    return new Selector(t, res.regex);
  }
  return new Selector(t.toLowerCase(), null);
}

/** Parses a rule's variable list into targets and exclusions. */
export function parseTargets(spec: string, out: TargetList): void {
  const parts = splitTargets(spec);
  for (let i = 0; i < parts.length; i++) {
    let p = parts[i].trim();
    if (p.length == 0) { out.error = "empty variable in `" + spec + "`"; return; }
    let exclude = false;
    let count = false;
    if (p.charCodeAt(0) == 33 /* ! */) { exclude = true; p = p.substring(1); }
    if (p.charCodeAt(0) == 38 /* & */) { count = true; p = p.substring(1); }
    const colon = p.indexOf(":");
    const name = colon < 0 ? p : p.substring(0, colon);
    const v = varByName(name);
    if (v < 0) { out.error = "unknown variable " + name; return; }
    let sel: Selector | null = null;
    if (colon >= 0) {
      const selText = p.substring(colon + 1);
      if (selText.length > 0) {
        if (!isCollection(v)) { out.error = "variable " + name + " has no members to select (`" + p + "`)"; return; }
        const err: string[] = [""];
        sel = compileSelector(selText, err);
        if (sel === null) { out.error = err[0]; return; }
      }
    }
    if (exclude) {
      if (sel === null && isCollection(v)) { out.error = "an exclusion needs a member: `!" + p + "`"; return; }
      out.exclusions.push(new Exclusion(v, sel));
    } else {
      out.targets.push(new Target(v, sel, count));
    }
  }
}
