// Entry of body.wasm, the build the node tests use (test/seclang/body-wasm.ts): the host writes a
// body and a content type into buffers, calls run(), and reads back one flat record of everything
// the processor produced. Layout: the error text, then sections of (name, value) pairs — ARGS_POST,
// FILES, FILES_NAMES, FILES_SIZES, MULTIPART_PART_HEADERS, MULTIPART_NAME, MULTIPART_FILENAME, XML —
// then FILES_COMBINED_SIZE and the flags. Every item is a u32 length followed by its bytes; every
// section starts with a u32 count.
import { Bytes, Pair, PairList } from "../types";
import { ByteBuf } from "./bytebuf";
import { parseUrlencoded, parseJson, parseXml, parseMultipart, XmlResult, MultipartResult } from "./index";

let body: Uint8Array = new Uint8Array(0);
let contentType: Uint8Array = new Uint8Array(0);
let out: ByteBuf = new ByteBuf(1024);

export function bodyBuffer(n: i32): usize {
  body = new Uint8Array(n);
  return body.dataStart;
}

export function contentTypeBuffer(n: i32): usize {
  contentType = new Uint8Array(n);
  return contentType.dataStart;
}

/** 0 urlencoded, 1 json, 2 xml, 3 multipart. Returns the result's address; see resultLength. */
export function run(proc: i32, depth: i32): usize {
  // The minimal runtime frees nothing by itself: drop the previous body's results first.
  __collect();
  out.len = 0;
  const args = new PairList();
  const mp = new MultipartResult();
  const xml = new XmlResult();
  let error = "";
  if (proc == 0) parseUrlencoded(body, args);
  else if (proc == 1) error = parseJson(body, args, depth);
  else if (proc == 2) error = parseXml(body, xml);
  else {
    let ct = "";
    for (let i = 0; i < contentType.length; i++) ct += String.fromCharCode(contentType[i]);
    error = parseMultipart(body, ct, mp);
  }
  writeText(error);
  writeList(proc == 3 ? mp.args : args);
  writeList(mp.files);
  writeList(mp.filesNames);
  writeList(mp.filesSizes);
  writeList(mp.partHeaders);
  writeList(mp.names);
  writeList(mp.filenames);
  const xmlPairs = new PairList();
  const texts = Uint8Array.wrap(String.UTF8.encode("/*"));
  const attrs = Uint8Array.wrap(String.UTF8.encode("//@*"));
  for (let i = 0; i < xml.attrs.length; i++) xmlPairs.add(attrs, xml.attrs[i]);
  for (let i = 0; i < xml.texts.length; i++) xmlPairs.add(texts, xml.texts[i]);
  writeList(xmlPairs);
  const size = new ByteBuf(20);
  size.pushDecimal(mp.filesCombinedSize);
  writeBytes(size.copy());
  const flags: i32[] = [
    mp.strictError, mp.unmatchedBoundary, mp.boundaryQuoted, mp.boundaryWhitespace, mp.dataBefore,
    mp.dataAfter, mp.headerFolding, mp.lfLine, mp.crlfLfLines, mp.missingSemicolon, mp.invalidQuoting,
    mp.invalidPart, mp.invalidHeaderFolding, mp.fileLimitExceeded, mp.duplicatePartHeader,
  ];
  writeU32(flags.length);
  for (let i = 0; i < flags.length; i++) writeU32(flags[i]);
  return out.data.dataStart;
}

export function resultLength(): i32 {
  return out.len;
}

function writeU32(v: u32): void {
  out.push(v & 0xff);
  out.push((v >> 8) & 0xff);
  out.push((v >> 16) & 0xff);
  out.push(v >>> 24);
}

function writeBytes(b: Bytes): void {
  writeU32(b.length);
  out.pushRange(b, 0, b.length);
}

function writeText(s: string): void {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = <u8>s.charCodeAt(i);
  writeBytes(b);
}

function writeList(l: PairList): void {
  writeU32(l.length);
  for (let i = 0; i < l.length; i++) {
    const p: Pair = l.at(i);
    writeBytes(p.name);
    writeBytes(p.value);
  }
}

/** Runs one processor `times` times over the loaded body without reporting (for the benchmark); the
 * garbage of each run is collected, as between requests, and counts in the time. */
export function repeat(proc: i32, depth: i32, times: i32): i32 {
  let items = 0;
  for (let k = 0; k < times; k++) {
    // Built anew each time: the minimal runtime's collector does not see locals, so nothing made
    // before a __collect() may be used after it.
    let ct = "";
    for (let i = 0; i < contentType.length; i++) ct += String.fromCharCode(contentType[i]);
    if (proc == 0) {
      const l = new PairList();
      parseUrlencoded(body, l);
      items += l.length;
    } else if (proc == 1) {
      const l = new PairList();
      parseJson(body, l, depth);
      items += l.length;
    } else if (proc == 2) {
      const x = new XmlResult();
      parseXml(body, x);
      items += x.texts.length + x.attrs.length;
    } else {
      const m = new MultipartResult();
      parseMultipart(body, ct, m);
      items += m.args.length + m.files.length;
    }
    __collect(); // as a plugin does between requests
  }
  return items;
}
