// multipart/form-data bodies, read line by line as ModSecurity reads them (its MULTIPART_* flags,
// its error messages), with Coraza's collections: every part with its content as ARGS_POST or as a
// file (FILES, FILES_NAMES, FILES_SIZES; the content itself is not kept), every part header line in
// MULTIPART_PART_HEADERS, MULTIPART_NAME / MULTIPART_FILENAME, FILES_COMBINED_SIZE.
//
// Where ModSecurity stops at the first problem in a part (a bad header, a missing name), this parser
// records the error and goes on, so the rest of the body is still inspected (Coraza also keeps what it
// parsed); the first error is returned and MULTIPART_STRICT_ERROR is set. Only a bad Content-Type
// (no usable boundary) stops before the body is read.
import { Bytes } from "../types";
import { MultipartResult } from "./results";
import { parseBoundary } from "./multipart-boundary";
import { parseDisposition } from "./multipart-disposition";
import { ByteBuf, sliceBytes } from "./bytebuf";
import { countOccurrences } from "./search";

/** ModSecurity's MULTIPART_BUF_SIZE: a part header line must be shorter. */
const MAX_HEADER_LINE: i32 = 4096;
/** Headers per part kept (each new one is compared with the earlier ones for duplicates). */
const MAX_PART_HEADERS: i32 = 64;

const PREAMBLE: i32 = 0;
const HEADERS: i32 = 1;
const DATA: i32 = 2;
const DONE: i32 = 3;

/**
 * Fills `out` from `body`; `contentType` is the request's Content-Type header (the boundary comes
 * from it). Returns "" or the first error, ModSecurity-worded (e.g. "Multipart: Final boundary
 * missing."). `out.strictError` is set whenever an error is returned or a strict flag is raised.
 */
export function parseMultipart(body: Bytes, contentType: string, out: MultipartResult): string {
  const b = parseBoundary(contentType, out);
  let error = b.error;
  if (b.boundary !== null) {
    const p = new MultipartParser(body, b.boundary!, out);
    p.run();
    error = p.error;
  }
  const flags =
    out.boundaryQuoted | out.boundaryWhitespace | out.dataBefore | out.dataAfter | out.headerFolding |
    out.lfLine | out.missingSemicolon | out.invalidQuoting | out.invalidPart | out.invalidHeaderFolding |
    out.fileLimitExceeded | out.duplicatePartHeader;
  out.crlfLfLines = out.crlfLfLines != 0 && out.lfLine != 0 ? 1 : 0;
  out.strictError = error.length > 0 || flags != 0 ? 1 : 0;
  return error;
}

class MultipartParser {
  state: i32 = PREAMBLE;
  error: string = "";
  delimiters: i32 = 0;
  fileCount: i32 = 0;
  sawCrlf: bool = false;
  // The part being read.
  headerNames: Array<Bytes> = new Array<Bytes>();
  headerValues: Array<ByteBuf> = new Array<ByteBuf>();
  partName: Bytes = new Uint8Array(0);
  fileName: Bytes | null = null;
  altFileName: Bytes | null = null;
  dataStart: i32 = 0;

  constructor(public body: Bytes, public boundary: Bytes, public out: MultipartResult) {}

  fail(msg: string): void {
    if (this.error.length == 0) this.error = msg;
  }

  run(): void {
    const body = this.body;
    const n = body.length;
    let pos = 0;
    while (pos < n) {
      const ls = pos;
      let le = ls;
      while (le < n && unchecked(body[le]) != 0x0a) le++;
      if (le < n) le++; // the line includes its LF
      pos = le;
      const kind = this.delimiter(ls, le);
      if (kind > 0) {
        this.delimiters++;
        if (this.state == HEADERS) {
          this.out.invalidPart = 1;
          this.fail("Multipart: Invalid part (headers not terminated by an empty line).");
          this.flushHeaders();
        } else if (this.state == DATA) {
          this.finishPart(ls, true);
        }
        if (kind == 2) {
          this.state = DONE;
          break;
        }
        this.startPart();
        continue;
      }
      if (this.state == PREAMBLE) this.out.dataBefore = 1;
      else if (this.state == HEADERS) this.headerLine(ls, le);
    }
    const parsedTo = pos;
    if (this.state == DONE) {
      if (pos < n) this.out.dataAfter = 1;
    } else if (this.state == PREAMBLE) {
      if (n > 0) this.fail("Multipart: No boundaries found in payload.");
    } else {
      // Cut short: keep what the last part had (Coraza does too), and report it.
      if (this.state == DATA) this.finishPart(n, false);
      else this.flushHeaders();
      this.fail("Multipart: Final boundary missing.");
    }
    if (this.out.lfLine != 0 && this.sawCrlf) this.out.crlfLfLines = 1;
    // A `--boundary` anywhere but on a delimiter line means someone may read the body differently.
    const dashBoundary = new Uint8Array(this.boundary.length + 2);
    dashBoundary[0] = 0x2d;
    dashBoundary[1] = 0x2d;
    dashBoundary.set(this.boundary, 2);
    if (countOccurrences(body, parsedTo, dashBoundary) > this.delimiters) this.out.unmatchedBoundary = 1;
  }

  // 0: not a delimiter line; 1: `--boundary`; 2: `--boundary--`. Transport padding (spaces, tabs)
  // may follow, then CRLF, LF or the end of the body.
  delimiter(ls: i32, le: i32): i32 {
    const body = this.body;
    const bl = this.boundary.length;
    if (le - ls < bl + 2 || unchecked(body[ls]) != 0x2d || unchecked(body[ls + 1]) != 0x2d) return 0;
    if (memory.compare(body.dataStart + <usize>(ls + 2), this.boundary.dataStart, <usize>bl) != 0) return 0;
    let q = ls + 2 + bl;
    let kind = 1;
    if (q + 1 < le && unchecked(body[q]) == 0x2d && unchecked(body[q + 1]) == 0x2d) {
      kind = 2;
      q += 2;
    }
    while (q < le && (unchecked(body[q]) == 0x20 || unchecked(body[q]) == 0x09)) q++;
    if (q == le) return kind; // end of the body
    if (q + 1 == le && unchecked(body[q]) == 0x0a) {
      this.out.lfLine = 1;
      return kind;
    }
    if (q + 2 == le && unchecked(body[q]) == 0x0d && unchecked(body[q + 1]) == 0x0a) {
      this.sawCrlf = true;
      return kind;
    }
    return 0;
  }

  startPart(): void {
    this.state = HEADERS;
    this.headerNames.length = 0;
    this.headerValues.length = 0;
    this.partName = new Uint8Array(0);
    this.fileName = null;
    this.altFileName = null;
  }

  headerLine(ls: i32, le: i32): void {
    const body = this.body;
    const out = this.out;
    let ce = le;
    if (ce > ls && unchecked(body[ce - 1]) == 0x0a) {
      ce--;
      if (ce > ls && unchecked(body[ce - 1]) == 0x0d) {
        ce--;
        this.sawCrlf = true;
      } else {
        out.lfLine = 1;
      }
    }
    if (ce == ls) {
      this.endHeaders(le);
      return;
    }
    if (le - ls > MAX_HEADER_LINE) this.fail("Multipart: Part header line over " + MAX_HEADER_LINE.toString() + " bytes long");
    for (let i = ls; i < ce; i++) {
      if (unchecked(body[i]) == 0) {
        this.fail("Multipart: Nul byte in part headers.");
        break;
      }
    }
    const c0 = <u32>unchecked(body[ls]);
    if (isSpace(c0)) {
      // Folding: the line continues the previous header.
      out.headerFolding = 1;
      let p = ls;
      while (p < ce && isSpace(unchecked(body[p]))) {
        if (unchecked(body[p]) != 0x20 && unchecked(body[p]) != 0x09) out.invalidHeaderFolding = 1;
        p++;
      }
      const n = this.headerValues.length;
      if (n == 0) {
        this.fail("Multipart: Invalid part header (folding error).");
        return;
      }
      const v = unchecked(this.headerValues[n - 1]);
      v.push(0x20);
      v.pushRange(body, p, ce);
      return;
    }
    let colon = ls;
    while (colon < ce && unchecked(body[colon]) != 0x3a) colon++;
    if (colon == ce) {
      this.fail("Multipart: Invalid part header (colon missing).");
      return;
    }
    if (colon == ls) {
      this.fail("Multipart: Invalid part header (header name missing).");
      return;
    }
    for (let i = ls; i < colon; i++) {
      const c = unchecked(body[i]);
      if (c < 0x21 || c > 0x7e) {
        this.fail("Multipart: Invalid part header (contains invalid character).");
        break;
      }
    }
    if (this.headerNames.length >= MAX_PART_HEADERS) {
      this.fail("Multipart: More than " + MAX_PART_HEADERS.toString() + " headers in a part.");
      return;
    }
    const name = sliceBytes(body, ls, colon);
    for (let i = 0; i < this.headerNames.length; i++) {
      if (equalsCi(unchecked(this.headerNames[i]), name)) {
        out.duplicatePartHeader = 1;
        this.fail("Multipart: Duplicate part header.");
        break;
      }
    }
    let vs = colon + 1;
    while (vs < ce && (unchecked(body[vs]) == 0x20 || unchecked(body[vs]) == 0x09)) vs++;
    const value = new ByteBuf(ce - vs + 16);
    value.pushRange(body, vs, ce);
    this.headerNames.push(name);
    this.headerValues.push(value);
  }

  // The empty line after the headers: read Content-Disposition, record the headers, start the data.
  endHeaders(dataStart: i32): void {
    const out = this.out;
    this.state = DATA;
    this.dataStart = dataStart;
    let cd: ByteBuf | null = null;
    for (let i = 0; i < this.headerNames.length; i++) {
      if (equalsCiString(unchecked(this.headerNames[i]), "content-disposition")) {
        cd = unchecked(this.headerValues[i]);
        break;
      }
    }
    if (cd === null) {
      out.invalidPart = 1;
      this.fail("Multipart: Part missing Content-Disposition header.");
    } else {
      const value = cd.copy();
      const d = parseDisposition(value, out);
      if (d.error.length > 0) this.fail("Multipart: Invalid Content-Disposition header (" + d.error + ").");
      const name = d.name;
      if (name === null) {
        out.invalidPart = 1;
        this.fail("Multipart: Content-Disposition header missing name field.");
      } else {
        this.partName = name;
      }
      // filename* wins when it is usable; the plain filename stays visible as a second reading.
      const plain = d.filename;
      const ext = d.extFilename;
      if (ext !== null && ext.length > 0) {
        this.fileName = ext;
        if (plain !== null && plain.length > 0 && !equalBytes(plain, ext)) this.altFileName = plain;
      } else if (plain !== null && plain.length > 0) {
        this.fileName = plain;
      }
    }
    this.flushHeaders();
    const pn = this.partName;
    out.names.add(pn, pn);
    const fn = this.fileName;
    if (fn !== null) out.filenames.add(pn, fn);
    const alt = this.altFileName;
    if (alt !== null) out.filenames.add(pn, alt);
  }

  // MULTIPART_PART_HEADERS: `Name: value` per header line of the part, keyed by the part's name.
  flushHeaders(): void {
    const pn = this.partName;
    for (let i = 0; i < this.headerNames.length; i++) {
      const name = unchecked(this.headerNames[i]);
      const value = unchecked(this.headerValues[i]);
      const line = new ByteBuf(name.length + value.len + 2);
      line.pushRange(name, 0, name.length);
      line.push(0x3a);
      line.push(0x20);
      line.pushRange(value.data, 0, value.len);
      this.out.partHeaders.add(pn, line.copy());
    }
    this.headerNames.length = 0;
    this.headerValues.length = 0;
  }

  // The part's content is body[dataStart, end); before a delimiter its line break belongs to the delimiter.
  finishPart(end: i32, beforeDelimiter: bool): void {
    const out = this.out;
    const body = this.body;
    let e = end;
    if (beforeDelimiter && e > this.dataStart && unchecked(body[e - 1]) == 0x0a) {
      e--;
      if (e > this.dataStart && unchecked(body[e - 1]) == 0x0d) e--;
    }
    const size = e - this.dataStart;
    const pn = this.partName;
    const fn = this.fileName;
    if (fn !== null) {
      this.fileCount++;
      if (out.fileLimit > 0 && this.fileCount > out.fileLimit) out.fileLimitExceeded = 1;
      const sz = new ByteBuf(12);
      sz.pushDecimal(size);
      const sizeText = sz.copy();
      out.files.add(pn, fn);
      out.filesSizes.add(pn, sizeText);
      const alt = this.altFileName;
      if (alt !== null) {
        out.files.add(pn, alt);
        out.filesSizes.add(pn, sizeText);
      }
      out.filesNames.add(pn, pn);
      out.filesCombinedSize += size;
    } else if (out.argLimit > 0 && out.args.length >= out.argLimit) {
      out.argsTruncated = true;
    } else {
      out.args.add(pn, sliceBytes(body, this.dataStart, e));
    }
    this.state = PREAMBLE; // until the next delimiter starts a part (the caller sets it)
  }
}

// C isspace(): what ModSecurity takes as the start of a folded header line.
function isSpace(c: u32): bool {
  return c == 0x20 || (c >= 0x09 && c <= 0x0d);
}

function equalBytes(a: Bytes, b: Bytes): bool {
  return a.length == b.length && memory.compare(a.dataStart, b.dataStart, <usize>a.length) == 0;
}

function equalsCi(a: Bytes, b: Bytes): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = <u32>a[i];
    let y = <u32>b[i];
    if (x >= 0x41 && x <= 0x5a) x |= 0x20;
    if (y >= 0x41 && y <= 0x5a) y |= 0x20;
    if (x != y) return false;
  }
  return true;
}

// `lit` must be lower-case.
function equalsCiString(a: Bytes, lit: string): bool {
  if (a.length != lit.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = <u32>a[i];
    if (x >= 0x41 && x <= 0x5a) x |= 0x20;
    if (x != <u32>lit.charCodeAt(i)) return false;
  }
  return true;
}
