// XSS detection: tokenize the input as HTML5 from five starting contexts (text, and inside an unquoted,
// '-, "- or `-quoted attribute value) and flag black-listed tags, event-handler and other dangerous
// attributes, javascript:/data:/vbscript:/view-source: URLs in URL attributes, doctype, and IE comment
// tricks. The lists are libinjection's (generated into xss-lists-data.ts).
import {
  CTX_DATA, CTX_VALUE_BACK_QUOTE, CTX_VALUE_DOUBLE_QUOTE, CTX_VALUE_NO_QUOTE, CTX_VALUE_SINGLE_QUOTE,
  H5_ATTR_NAME, H5_ATTR_VALUE, H5_DOCTYPE, H5_TAG_COMMENT, H5_TAG_NAME_OPEN, Html5,
} from './html5';
import { XSS_ATTRIBUTES, XSS_BLACK_TAGS, XSS_EVENTS } from './xss-lists-data';

const ATTR_NONE = 0;
const ATTR_BLACK = 1;
const ATTR_URL = 2;
const ATTR_STYLE = 3;
const ATTR_INDIRECT = 4;

/** Longest normalized tag/attribute name compared; longer names match nothing. */
const NAME_MAX = 64;
const nameBuf = new StaticArray<u8>(NAME_MAX);
const h5 = new Html5();

/**
 * Upper-cases (ASCII) and drops NULs from token bytes [start, start+len) into nameBuf. The length, or
 * -1 when more than `max` bytes would remain.
 */
function normalize(start: i32, len: i32, max: i32): i32 {
  const input = h5.input;
  let n = 0;
  for (let i = 0; i < len; i++) {
    let c = input.at(start + i);
    if (c == 0) continue;
    if (n == max) return -1;
    if (c >= 0x61 && c <= 0x7a) c -= 0x20;
    unchecked((nameBuf[n++] = c));
  }
  return n;
}

function nameIs(n: i32, text: string): bool {
  if (n != text.length) return false;
  for (let i = 0; i < n; i++) if (<i32>unchecked(nameBuf[i]) != text.charCodeAt(i)) return false;
  return true;
}

function isBlackTag(start: i32, len: i32): bool {
  if (len < 3) return false;
  const n = normalize(start, len, NAME_MAX);
  if (n < 0) return false;
  if (XSS_BLACK_TAGS.find(changetype<usize>(nameBuf), n) >= 0) return true;
  if (n < 3) return false;
  const a = nameBuf[0], b = nameBuf[1], c = nameBuf[2];
  return (a == 0x53 && b == 0x56 && c == 0x47) || (a == 0x58 && b == 0x53 && c == 0x4c); // SVG*, XSL*
}

function attributeType(start: i32, len: i32): i32 {
  const n = normalize(start, len, NAME_MAX);
  if (n < 2) return ATTR_NONE;
  const buf = changetype<usize>(nameBuf);
  if (n >= 5) {
    if (nameIs(n, 'XMLNS') || nameIs(n, 'XLINK')) return ATTR_BLACK;
    if (nameBuf[0] == 0x4f && nameBuf[1] == 0x4e) {
      const t = XSS_EVENTS.find(buf + 2, n - 2); // ON + event name
      if (t >= 0) return t;
    }
  }
  const t = XSS_ATTRIBUTES.find(buf, n);
  return t >= 0 ? t : ATTR_NONE;
}

const HEX_NONE = 256;

function hexValue(c: u8): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return HEX_NONE;
}

let decodedLen: i32 = 0;

/** The byte (or numeric entity &#...; / &#x...;) at `at` of a value ending at `end`; sets decodedLen. */
function decodeAt(at: i32, end: i32): i32 {
  const input = h5.input;
  const len = end - at;
  decodedLen = 1;
  const c0 = input.at(at);
  if (c0 != 0x26 || len < 2) return c0;
  if (input.at(at + 1) != 0x23 || len < 3) return 0x26;
  const c2 = input.at(at + 2);
  if (c2 == 0x78 || c2 == 0x58) {
    if (len < 4) return 0x26;
    let val = hexValue(input.at(at + 3));
    if (val == HEX_NONE) return 0x26;
    let i = 4;
    while (i < len) {
      const c = input.at(at + i);
      if (c == 0x3b) {
        decodedLen = i + 1;
        return val;
      }
      const h = hexValue(c);
      if (h == HEX_NONE) {
        decodedLen = i;
        return val;
      }
      val = val * 16 + h;
      if (val > 0x1000ff) return 0x26;
      i++;
    }
    decodedLen = i;
    return val;
  }
  if (c2 < 0x30 || c2 > 0x39) return 0x26;
  let val = <i32>c2 - 0x30;
  let i = 3;
  while (i < len) {
    const c = input.at(at + i);
    if (c == 0x3b) {
      decodedLen = i + 1;
      return val;
    }
    if (c < 0x30 || c > 0x39) {
      decodedLen = i;
      return val;
    }
    val = val * 10 + (c - 0x30);
    if (val > 0x1000ff) return 0x26;
    i++;
  }
  decodedLen = i;
  return val;
}

/** Does the HTML-encoded value [at, end) start with `prefix` (upper case), skipping leading controls and NULs? */
function htmlStartsWith(prefix: string, at: i32, end: i32): bool {
  let first = true;
  let ai = 0;
  let p = at;
  while (p < end) {
    let cb = decodeAt(p, end);
    p += decodedLen;
    if (first && cb <= 32) continue;
    first = false;
    if (cb == 0 || cb == 10) continue;
    if (cb >= 0x61 && cb <= 0x7a) cb -= 0x20;
    if (ai >= prefix.length) return true;
    if ((cb & 0xff) != prefix.charCodeAt(ai)) return false;
    ai++;
  }
  return ai >= prefix.length;
}

function isBlackUrl(start: i32, len: i32): bool {
  const input = h5.input;
  const end = start + len;
  let p = start;
  // Skip leading controls, spaces and non-ASCII bytes (browsers ignore some of them).
  while (p < end) {
    const c = input.at(p);
    if (c > 32 && c < 127) break;
    p++;
  }
  return htmlStartsWith('DATA', p, end) || htmlStartsWith('VIEW-SOURCE', p, end) ||
    htmlStartsWith('VBSCRIPT', p, end) || htmlStartsWith('JAVA', p, end);
}

function attributeValueIsXss(attr: i32, start: i32, len: i32): bool {
  if (attr == ATTR_BLACK || attr == ATTR_STYLE) return true;
  if (attr == ATTR_URL) return isBlackUrl(start, len);
  if (attr == ATTR_INDIRECT) return attributeType(start, len) == ATTR_BLACK; // names an attribute
  return false;
}

function commentIsXss(start: i32, len: i32): bool {
  const input = h5.input;
  // IE ends tags at '`'.
  for (let i = 0; i < len; i++) if (input.at(start + i) == 0x60) return true;
  // IE conditional comments "[if", and "xml" declarations.
  if (len >= 4) {
    const c0 = input.at(start), l1 = input.at(start + 1) | 0x20, l2 = input.at(start + 2) | 0x20;
    if (c0 == 0x5b && l1 == 0x69 && l2 == 0x66) return true;
    if ((c0 | 0x20) == 0x78 && l1 == 0x6d && l2 == 0x6c) return true;
  }
  // IE's <?import pseudo-tag, XML entity definitions.
  if (len > 5) {
    const n = normalize(start, len, 6);
    const m = n < 0 ? 6 : n;
    if (m == 6 && (nameIs(6, 'IMPORT') || nameIs(6, 'ENTITY'))) return true;
  }
  return false;
}

function xssInContext(ptr: usize, len: i32, context: i32): bool {
  h5.init(ptr, len, context);
  let attr = ATTR_NONE;
  while (h5.next()) {
    const type = h5.tokenType;
    if (type != H5_ATTR_VALUE) attr = ATTR_NONE;
    const start = h5.tokenStart;
    const n = h5.tokenLen;
    if (type == H5_DOCTYPE) return true;
    if (type == H5_TAG_NAME_OPEN) {
      if (isBlackTag(start, n)) return true;
    } else if (type == H5_ATTR_NAME) {
      attr = attributeType(start, n);
    } else if (type == H5_ATTR_VALUE) {
      if (attributeValueIsXss(attr, start, n)) return true;
      attr = ATTR_NONE;
    } else if (type == H5_TAG_COMMENT) {
      if (commentIsXss(start, n)) return true;
    }
  }
  return false;
}

/** libinjection's XSS verdict on the `len` bytes at `ptr`. */
export function checkXss(ptr: usize, len: i32): bool {
  // Text context needs a '<' to produce any tag.
  let hasLt = false;
  for (let i = 0; i < len; i++) {
    if (load<u8>(ptr + <usize>i) == 0x3c) {
      hasLt = true;
      break;
    }
  }
  if (hasLt && xssInContext(ptr, len, CTX_DATA)) return true;
  return xssInContext(ptr, len, CTX_VALUE_NO_QUOTE) || xssInContext(ptr, len, CTX_VALUE_SINGLE_QUOTE) ||
    xssInContext(ptr, len, CTX_VALUE_DOUBLE_QUOTE) || xssInContext(ptr, len, CTX_VALUE_BACK_QUOTE);
}
