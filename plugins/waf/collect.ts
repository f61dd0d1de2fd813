// Fills a transaction's variables the way ModSecurity/Coraza define them: request line and URI parts,
// ARGS from the query and the body, headers (names lower-case), cookies split, body processors,
// response headers and body. Pure: the stream hands in bytes it read from the host.
import { MultipartResult, parseJson, parseMultipart, parseUrlencoded, parseXml, XmlResult } from "../../assembly/seclang/body/index";
import { Bytes, Pair, PairList } from "../../assembly/seclang/types";
import { decimal, latinLower, textOf } from "./text";
import { EMPTY, Transaction } from "./transaction";
import { Var } from "./variables";

function b(s: string): Bytes { return Uint8Array.wrap(String.UTF8.encode(s)); }
// Values every request sets, encoded once (values are never written in place: sharing them is safe).
const ZERO = b("0");
const ONE = b("1");
const HOST = b("host");
const GET = b("GET");
const SLASH = b("/");
function slice(x: Bytes, from: i32, to: i32): Bytes { return x.slice(from, to); }
function indexOfByte(x: Bytes, c: u8, from: i32 = 0): i32 {
  for (let i = from; i < x.length; i++) if (unchecked(x[i]) == c) return i;
  return -1;
}
function lastIndexOfByte(x: Bytes, c: u8): i32 {
  for (let i = x.length - 1; i >= 0; i--) if (unchecked(x[i]) == c) return i;
  return -1;
}
function concat3(a: Bytes, s1: u8, m: Bytes, s2: u8, z: Bytes): Bytes {
  const out = new Uint8Array(a.length + m.length + z.length + 2);
  out.set(a, 0);
  out[a.length] = s1;
  out.set(m, a.length + 1);
  out[a.length + 1 + m.length] = s2;
  out.set(z, a.length + m.length + 2);
  return out;
}
function eqAscii(x: Bytes, s: string): bool {
  if (x.length != s.length) return false;
  for (let i = 0; i < x.length; i++) if (<i32>x[i] != s.charCodeAt(i)) return false;
  return true;
}

/** Connection facts the stream reads from host properties. */
export class Connection {
  remoteAddr: Bytes = EMPTY;
  remotePort: Bytes = EMPTY;
  serverAddr: Bytes = EMPTY;
  serverPort: Bytes = EMPTY;
  protocol: Bytes = EMPTY;
  uniqueId: Bytes = EMPTY;
  nowSeconds: i64 = 0;
}

/** Phase 1 inputs: every request header as the host gives them (pseudo-headers included). */
export function collectRequest(t: Transaction, headers: PairList, conn: Connection): void {
  let method: Bytes = GET;
  let path: Bytes = SLASH;
  let authority: Bytes = EMPTY;
  // Behind Envoy an empty Host arrives as an empty :authority (a missing one never reaches a filter).
  let hasAuthority = false;
  const hdrs = t.coll(Var.REQUEST_HEADERS);
  const hnames = t.coll(Var.REQUEST_HEADERS_NAMES);
  for (let i = 0; i < headers.length; i++) {
    const p = headers.at(i);
    if (p.name.length > 0 && p.name[0] == 58 /* : */) {
      if (eqAscii(p.name, ":method")) method = p.value;
      else if (eqAscii(p.name, ":path")) path = p.value;
      else if (eqAscii(p.name, ":authority")) { authority = p.value; hasAuthority = true; }
      continue;
    }
    hdrs.add(p.name, p.value);
    hnames.add(p.name, p.name);
    if (eqAscii(p.name, "cookie")) parseCookies(t, p.value);
  }
  if (hasAuthority) {
    // Envoy keeps Host as :authority; ModSecurity sees it as the Host header.
    hdrs.items.unshift(new Pair(HOST, authority));
    hnames.items.unshift(new Pair(HOST, HOST));
  }
  t.setScalar(Var.REQUEST_METHOD, method);
  const proto = conn.protocol;
  t.setScalar(Var.REQUEST_PROTOCOL, proto);
  t.setScalar(Var.REQUEST_URI_RAW, path);
  t.setScalar(Var.REQUEST_URI, path);
  t.setScalar(Var.REQUEST_LINE, concat3(method, 32, path, 32, proto));
  const q = indexOfByte(path, 63 /* ? */);
  const filename = q < 0 ? path : slice(path, 0, q);
  const query = q < 0 ? EMPTY : slice(path, q + 1, path.length);
  t.setScalar(Var.REQUEST_FILENAME, filename);
  t.setScalar(Var.PATH_INFO, EMPTY);
  const slash = lastIndexOfByte(filename, 47);
  t.setScalar(Var.REQUEST_BASENAME, slash < 0 ? filename : slice(filename, slash + 1, filename.length));
  t.setScalar(Var.QUERY_STRING, query);
  if (query.length > 0) {
    const got = new PairList();
    parseUrlencoded(query, got, <u8>t.rs.settings.argumentSeparator);
    addArgs(t, got, Var.ARGS_GET, Var.ARGS_GET_NAMES);
  }
  t.setScalar(Var.REMOTE_ADDR, conn.remoteAddr);
  t.setScalar(Var.REMOTE_HOST, conn.remoteAddr);
  t.setScalar(Var.REMOTE_PORT, conn.remotePort);
  t.setScalar(Var.SERVER_ADDR, conn.serverAddr);
  t.setScalar(Var.SERVER_PORT, conn.serverPort);
  const colon = lastIndexOfByte(authority, 58);
  t.setScalar(Var.SERVER_NAME, colon > 0 && authority[authority.length - 1] != 93 ? slice(authority, 0, colon) : authority);
  t.setScalar(Var.UNIQUE_ID, conn.uniqueId);
  setTime(t, conn.nowSeconds);
  const ct = firstHeader(hdrs, "content-type");
  if (ct !== null) t.setScalar(Var.REQUEST_CONTENT_TYPE, ct);
  t.setScalar(Var.REQBODY_ERROR, ZERO);
  t.setScalar(Var.REQBODY_PROCESSOR_ERROR, ZERO);
  t.setScalar(Var.MULTIPART_STRICT_ERROR, ZERO);
  t.setScalar(Var.MULTIPART_UNMATCHED_BOUNDARY, ZERO);
  t.setScalar(Var.INBOUND_DATA_ERROR, ZERO);
  t.setScalar(Var.OUTBOUND_DATA_ERROR, ZERO);
  t.setScalar(Var.ARGS_COMBINED_SIZE, decimal(combinedSize(t.coll(Var.ARGS))));
  // ModSecurity picks a processor from the content type; ctl:requestBodyProcessor (phase 1) overrides it.
  if (ct !== null) {
    const l = latinLower(ct);
    if (l.startsWith("application/x-www-form-urlencoded")) t.bodyProcessor = "URLENCODED";
    else if (l.startsWith("multipart/form-data")) t.bodyProcessor = "MULTIPART";
  }
  if (t.bodyProcessor.length > 0) t.setScalar(Var.REQBODY_PROCESSOR, b(t.bodyProcessor));
}

export function firstHeader(list: PairList, lowerName: string): Bytes | null {
  for (let i = 0; i < list.length; i++) if (eqAscii(list.at(i).name, lowerName)) return list.at(i).value;
  return null;
}

function addArgs(t: Transaction, got: PairList, v: i32, names: i32): void {
  const limit = t.rs.settings.argumentsLimit;
  const args = t.coll(Var.ARGS);
  const own = t.coll(v);
  const ownNames = t.coll(names);
  const argNames = t.coll(Var.ARGS_NAMES);
  for (let i = 0; i < got.length; i++) {
    if (limit > 0 && args.length >= limit) break;
    // Pairs are never changed once in a collection: the parser's pair and one (name, name) pair serve
    // both lists they belong to (one allocation per argument instead of four).
    const p = got.at(i);
    own.items.push(p);
    args.items.push(p);
    const n = new Pair(p.name, p.name);
    ownNames.items.push(n);
    argNames.items.push(n);
  }
  t.setScalar(Var.ARGS_COMBINED_SIZE, decimal(combinedSize(args)));
}

function combinedSize(args: PairList): i64 {
  let n: i64 = 0;
  for (let i = 0; i < args.length; i++) n += args.at(i).name.length + args.at(i).value.length;
  return n;
}

/** Cookie header → REQUEST_COOKIES(_NAMES): `;`-separated, leading spaces dropped, no `=` = empty value. */
function parseCookies(t: Transaction, v: Bytes): void {
  let i = 0;
  const n = v.length;
  while (i < n) {
    let end = indexOfByte(v, 59, i);
    if (end < 0) end = n;
    let s = i;
    while (s < end && (v[s] == 32 || v[s] == 9)) s++;
    if (s < end) {
      const eq = indexOfByte(v, 61, s);
      let name: Bytes, value: Bytes;
      if (eq < 0 || eq >= end) { name = slice(v, s, end); value = EMPTY; }
      else { name = slice(v, s, eq); value = slice(v, eq + 1, end); }
      let ne = name.length;
      while (ne > 0 && (name[ne - 1] == 32 || name[ne - 1] == 9)) ne--;
      if (ne != name.length) name = slice(name, 0, ne);
      t.coll(Var.REQUEST_COOKIES).add(name, value);
      t.coll(Var.REQUEST_COOKIES_NAMES).add(name, name);
    }
    i = end + 1;
  }
}

// The TIME_* values of the last second seen: requests within one second share them.
let timeSecs: i64 = -1;
const timeVals = new StaticArray<Bytes | null>(9);

function setTime(t: Transaction, now: i64): void {
  if (now != timeSecs) {
    computeTime(now);
    timeSecs = now;
  }
  for (let i = 0; i < 9; i++) t.setScalar(unchecked(TIME_VARS[i]), unchecked(timeVals[i])!);
}

const TIME_VARS: i32[] = [Var.TIME_EPOCH, Var.TIME_YEAR, Var.TIME_MON, Var.TIME_DAY, Var.TIME_HOUR, Var.TIME_MIN,
  Var.TIME_SEC, Var.TIME_WDAY, Var.TIME];

function computeTime(now: i64): void {
  // Civil date from Unix seconds (UTC), days-from-civil inverse (Howard Hinnant's algorithm).
  const secs = now;
  const days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  const sod = secs - days * 86400;
  const z = days + 719468;
  const era = (z >= 0 ? z : z - 146096) / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  let y = yoe + era * 400;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const d = doy - (153 * mp + 2) / 5 + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) y++;
  const wday = ((days % 7) + 11) % 7; // 1970-01-01 was a Thursday (4)
  timeVals[0] = decimal(secs);
  timeVals[1] = decimal(y);
  timeVals[2] = decimal(m);
  timeVals[3] = decimal(d);
  timeVals[4] = decimal(sod / 3600);
  timeVals[5] = decimal((sod % 3600) / 60);
  timeVals[6] = decimal(sod % 60);
  timeVals[7] = decimal(wday);
  timeVals[8] = b(two(sod / 3600) + ":" + two((sod % 3600) / 60) + ":" + two(sod % 60));
}

function two(n: i64): string { return n < 10 ? "0" + n.toString() : n.toString(); }

/** Phase 2 inputs: the (possibly truncated) body through the selected processor. */
export function collectRequestBody(t: Transaction, body: Bytes): void {
  t.setScalar(Var.REQUEST_BODY_LENGTH, decimal(body.length));
  const proc = t.bodyProcessor;
  if (proc.length > 0) t.setScalar(Var.REQBODY_PROCESSOR, b(proc));
  if (proc.length == 0 || proc == "URLENCODED" || t.forceRequestBodyVariable) t.setScalar(Var.REQUEST_BODY, body);
  let err = "";
  // No body, nothing to parse (an empty XML or JSON document is not a parse error in ModSecurity).
  if (body.length == 0) return;
  if (proc == "URLENCODED") {
    const got = new PairList();
    parseUrlencoded(body, got, <u8>t.rs.settings.argumentSeparator);
    addArgs(t, got, Var.ARGS_POST, Var.ARGS_POST_NAMES);
  } else if (proc == "JSON") {
    const got = new PairList();
    err = parseJson(body, got, t.rs.settings.jsonDepth);
    addArgs(t, got, Var.ARGS_POST, Var.ARGS_POST_NAMES);
  } else if (proc == "XML") {
    const x = new XmlResult();
    err = parseXml(body, x);
    const xs = t.coll(Var.XML);
    const textKey = b("/*");
    const attrKey = b("//@*");
    for (let i = 0; i < x.texts.length; i++) xs.add(textKey, x.texts[i]);
    for (let i = 0; i < x.attrs.length; i++) xs.add(attrKey, x.attrs[i]);
  } else if (proc == "MULTIPART") {
    const ct = t.scalar(Var.REQUEST_CONTENT_TYPE);
    const m = new MultipartResult();
    m.fileLimit = t.rs.settings.uploadFileLimit;
    err = parseMultipart(body, ct === null ? "" : textOf(ct), m);
    multipartVars(t, m);
  }
  if (err.length > 0) {
    t.setScalar(Var.REQBODY_ERROR, ONE);
    t.setScalar(Var.REQBODY_PROCESSOR_ERROR, ONE);
    t.setScalarText(Var.REQBODY_ERROR_MSG, proc + " parsing error: " + err);
    t.setScalarText(Var.REQBODY_PROCESSOR_ERROR_MSG, proc + " parsing error: " + err);
  }
}

function copyPairs(from: PairList, to: PairList): void {
  for (let i = 0; i < from.length; i++) to.add(from.at(i).name, from.at(i).value);
}

function flag(t: Transaction, v: i32, x: i32): void { t.setScalar(v, x != 0 ? ONE : ZERO); }

function multipartVars(t: Transaction, m: MultipartResult): void {
  addArgs(t, m.args, Var.ARGS_POST, Var.ARGS_POST_NAMES);
  copyPairs(m.files, t.coll(Var.FILES));
  copyPairs(m.filesNames, t.coll(Var.FILES_NAMES));
  copyPairs(m.filesSizes, t.coll(Var.FILES_SIZES));
  copyPairs(m.partHeaders, t.coll(Var.MULTIPART_PART_HEADERS));
  t.setScalar(Var.FILES_COMBINED_SIZE, decimal(m.filesCombinedSize));
  if (m.names.length > 0) t.setScalar(Var.MULTIPART_NAME, m.names.at(m.names.length - 1).value);
  if (m.filenames.length > 0) t.setScalar(Var.MULTIPART_FILENAME, m.filenames.at(m.filenames.length - 1).value);
  flag(t, Var.MULTIPART_STRICT_ERROR, m.strictError);
  flag(t, Var.MULTIPART_UNMATCHED_BOUNDARY, m.unmatchedBoundary);
  flag(t, Var.MULTIPART_BOUNDARY_QUOTED, m.boundaryQuoted);
  flag(t, Var.MULTIPART_BOUNDARY_WHITESPACE, m.boundaryWhitespace);
  flag(t, Var.MULTIPART_DATA_BEFORE, m.dataBefore);
  flag(t, Var.MULTIPART_DATA_AFTER, m.dataAfter);
  flag(t, Var.MULTIPART_HEADER_FOLDING, m.headerFolding);
  flag(t, Var.MULTIPART_LF_LINE, m.lfLine);
  flag(t, Var.MULTIPART_CRLF_LF_LINES, m.crlfLfLines);
  flag(t, Var.MULTIPART_MISSING_SEMICOLON, m.missingSemicolon);
  flag(t, Var.MULTIPART_SEMICOLON_MISSING, m.missingSemicolon);
  flag(t, Var.MULTIPART_INVALID_QUOTING, m.invalidQuoting);
  flag(t, Var.MULTIPART_INVALID_PART, m.invalidPart);
  flag(t, Var.MULTIPART_INVALID_HEADER_FOLDING, m.invalidHeaderFolding);
  flag(t, Var.MULTIPART_FILE_LIMIT_EXCEEDED, m.fileLimitExceeded);
}

/** Phase 3 inputs. */
export function collectResponse(t: Transaction, headers: PairList, protocol: string): void {
  const hdrs = t.coll(Var.RESPONSE_HEADERS);
  const names = t.coll(Var.RESPONSE_HEADERS_NAMES);
  for (let i = 0; i < headers.length; i++) {
    const p = headers.at(i);
    hdrs.add(p.name, p.value);
    if (p.name.length > 0 && p.name[0] != 58) names.add(p.name, p.name);
    if (eqAscii(p.name, ":status")) {
      t.setScalar(Var.RESPONSE_STATUS, p.value);
      t.setScalarText(Var.STATUS_LINE, protocol + " " + textOf(p.value));
    } else if (eqAscii(p.name, "content-type")) t.setScalar(Var.RESPONSE_CONTENT_TYPE, p.value);
    else if (eqAscii(p.name, "content-length")) t.setScalar(Var.RESPONSE_CONTENT_LENGTH, p.value);
  }
  t.setScalarText(Var.RESPONSE_PROTOCOL, protocol);
}

/** Is the response's content type one SecResponseBodyMimeType lists? */
export function responseBodyInspectable(t: Transaction): bool {
  const ct = t.scalar(Var.RESPONSE_CONTENT_TYPE);
  if (ct === null) return false;
  let l = latinLower(ct);
  const semi = l.indexOf(";");
  if (semi >= 0) l = l.substring(0, semi);
  l = l.trim();
  return t.rs.settings.responseBodyMimeTypes.includes(l);
}
