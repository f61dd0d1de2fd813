// XML bodies for `XML:/*` (every text run, as Coraza collects them: trimmed, blank ones dropped, CDATA
// sections as runs of their own) and `XML://@*` (every attribute value).
//
// A small non-validating parser over bytes. A DOCTYPE is skipped whole: no entity is ever declared,
// loaded or expanded, so external entities (XXE) and entity bombs cannot happen; an undeclared
// `&name;` stays in the text as written, where rules can see it. Only the five predefined entities and
// character references are decoded, and `\r\n` / `\r` become `\n` (XML end-of-line handling).
//
// Structural errors (mismatched or unclosed tags, malformed markup, text or elements after the root)
// come back as error text. Mismatched end tags and content after the root are recovered from, so the
// rest of the document is still collected (the engine still inspects it while REQBODY_ERROR is set);
// anything else stops the parse, keeping what was collected before it.
import { Bytes } from "../types";
import { XmlResult } from "./results";
import { ByteBuf } from "./bytebuf";
import { isUnicodeSpaceAt, unicodeSpaceLenBefore } from "./space";

const LT: u32 = 0x3c;
const GT: u32 = 0x3e;
const AMP: u32 = 0x26;
const SLASH: u32 = 0x2f;
const QMARK: u32 = 0x3f;
const BANG: u32 = 0x21;
const EQ: u32 = 0x3d;
const CR: u32 = 0x0d;
const LF: u32 = 0x0a;

/** Fills `out.texts` and `out.attrs`; returns "" or the first error ("XML: ... at byte N"). An empty body gives nothing and no error. */
export function parseXml(body: Bytes, out: XmlResult): string {
  // An empty body is no document at all, not a malformed one (Coraza does not run its processor).
  if (body.length == 0) return "";
  const p = new XmlParser(body, out);
  p.run();
  return p.error;
}

class XmlParser {
  pos: i32 = 0;
  end: i32;
  error: string = "";
  text: ByteBuf = new ByteBuf(256);
  // Open elements as [start, end) spans of their names in the body.
  openStart: Array<i32> = new Array<i32>();
  openEnd: Array<i32> = new Array<i32>();
  rootSeen: bool = false;
  rootClosed: bool = false;
  stopped: bool = false;

  constructor(public body: Bytes, public out: XmlResult) {
    this.end = body.length;
  }

  run(): void {
    const b = this.body;
    // A UTF-8 byte order mark is allowed before the prolog.
    if (this.end >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf) this.pos = 3;
    while (!this.stopped && this.pos < this.end) {
      if (this.at(this.pos) == LT) this.markup();
      else this.charData();
    }
    if (this.stopped) return;
    if (this.openStart.length > 0) {
      const i = this.openStart.length - 1;
      this.fail("element <" + this.nameAt(this.openStart[i], this.openEnd[i]) + "> is not closed", this.end);
    } else if (!this.rootSeen) {
      this.fail("no root element", this.end);
    }
  }

  // ---- errors ----

  /** Records the first error (parsing goes on). */
  fail(msg: string, at: i32): void {
    if (this.error.length == 0) this.error = "XML: " + msg + " at byte " + at.toString();
  }

  /** Records the error and stops. */
  stop(msg: string, at: i32): void {
    this.fail(msg, at);
    this.stopped = true;
  }

  // ---- content ----

  @inline at(i: i32): u32 {
    return <u32>unchecked(this.body[i]);
  }

  // A text run up to the next `<`: entities decoded, line ends normalised, then trimmed.
  charData(): void {
    const t = this.text;
    t.len = 0;
    let p = this.pos;
    const end = this.end;
    let start = p;
    while (p < end) {
      const c = this.at(p);
      if (c == LT) break;
      if (c == AMP || c == CR) {
        t.pushRange(this.body, start, p);
        p = c == AMP ? this.entity(p, t) : this.newline(p, t);
        start = p;
        continue;
      }
      p++;
    }
    t.pushRange(this.body, start, p);
    this.pos = p;
    if (this.addText(t) && (!this.rootSeen || this.rootClosed) && this.openStart.length == 0) {
      this.fail("text outside the root element", start);
    }
  }

  // Adds the trimmed buffer as an XML:/* value; false when it was blank.
  addText(t: ByteBuf): bool {
    let a = 0;
    let z = t.len;
    const d = t.data;
    while (a < z) {
      const n = isUnicodeSpaceAt(d, a, z);
      if (n == 0) break;
      a += n;
    }
    while (z > a) {
      const n = unicodeSpaceLenBefore(d, a, z);
      if (n == 0) break;
      z -= n;
    }
    if (z <= a) return false;
    if (this.full()) return true;
    this.out.texts.push(t.copy(a, z));
    return true;
  }

  // True (and stops) when the item limit is reached.
  full(): bool {
    const max = this.out.maxItems;
    if (max > 0 && this.out.texts.length + this.out.attrs.length >= max) {
      this.stop("more than " + max.toString() + " texts and attributes", this.pos);
      return true;
    }
    return false;
  }

  // `\r\n` or a lone `\r` at p becomes `\n`; returns the position after it.
  newline(p: i32, t: ByteBuf): i32 {
    t.push(LF);
    return p + 1 < this.end && this.at(p + 1) == LF ? p + 2 : p + 1;
  }

  // Decodes the reference at p (`&...;`) into t; returns the position after what was consumed. An
  // unknown or malformed reference is kept as written (a non-validating reader cannot expand it).
  entity(p: i32, t: ByteBuf): i32 {
    const end = this.end;
    let q = p + 1;
    // Entity names and character references are short; a long run without `;` is plain text.
    const limit = p + 40 < end ? p + 40 : end;
    while (q < limit && this.at(q) != 0x3b && this.at(q) != AMP && this.at(q) != LT) q++;
    if (q >= limit || this.at(q) != 0x3b) {
      t.push(AMP);
      return p + 1;
    }
    const n = q - p - 1; // name length
    const b = this.body;
    if (n >= 2 && this.at(p + 1) == 0x23) {
      const cp = this.charRef(p + 2, q);
      if (cp >= 0) {
        t.pushCodePoint(<u32>cp);
        return q + 1;
      }
    } else if (n == 2 && this.at(p + 2) == 0x74 && (this.at(p + 1) == 0x6c || this.at(p + 1) == 0x67)) {
      t.push(this.at(p + 1) == 0x6c ? LT : GT); // &lt; &gt;
      return q + 1;
    } else if (n == 3 && b[p + 1] == 0x61 && b[p + 2] == 0x6d && b[p + 3] == 0x70) {
      t.push(AMP);
      return q + 1;
    } else if (n == 4 && b[p + 1] == 0x71 && b[p + 2] == 0x75 && b[p + 3] == 0x6f && b[p + 4] == 0x74) {
      t.push(0x22);
      return q + 1;
    } else if (n == 4 && b[p + 1] == 0x61 && b[p + 2] == 0x70 && b[p + 3] == 0x6f && b[p + 4] == 0x73) {
      t.push(0x27);
      return q + 1;
    }
    t.push(AMP);
    return p + 1;
  }

  // `#123` or `#x7B` between from and to (exclusive of `;`): the code point, or -1 if malformed.
  charRef(from: i32, to: i32): i32 {
    let hex = false;
    let p = from;
    if (p < to && (this.at(p) | 0x20) == 0x78) {
      hex = true;
      p++;
    }
    if (p >= to) return -1;
    let v = 0;
    for (; p < to; p++) {
      const c = this.at(p);
      let d: i32 = -1;
      if (c >= 0x30 && c <= 0x39) d = <i32>c - 0x30;
      else if (hex && (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) d = <i32>(c | 0x20) - 0x61 + 10;
      if (d < 0) return -1;
      v = v * (hex ? 16 : 10) + d;
      if (v > 0x10ffff) return -1;
    }
    // Surrogates and NUL are not XML characters.
    if (v == 0 || (v >= 0xd800 && v <= 0xdfff)) return -1;
    return v;
  }

  // ---- markup ----

  markup(): void {
    const p = this.pos;
    if (p + 1 >= this.end) {
      this.stop("unexpected end of document after '<'", p);
      return;
    }
    const c = this.at(p + 1);
    if (c == SLASH) this.endTag();
    else if (c == QMARK) this.skipUntil(p + 2, "?>", "processing instruction");
    else if (c == BANG) this.bang();
    else this.startTag();
  }

  bang(): void {
    const p = this.pos;
    if (this.startsWith(p, "<!--")) {
      this.skipUntil(p + 4, "-->", "comment");
    } else if (this.startsWith(p, "<![CDATA[")) {
      if (this.openStart.length == 0) this.fail("CDATA section outside the root element", p);
      const close = this.find(p + 9, "]]>");
      if (close < 0) {
        this.stop("unterminated CDATA section", p);
        return;
      }
      const t = this.text;
      t.len = 0;
      let start = p + 9;
      for (let i = start; i < close; i++) {
        if (this.at(i) == CR) {
          t.pushRange(this.body, start, i);
          i = this.newline(i, t) - 1;
          start = i + 1;
        }
      }
      t.pushRange(this.body, start, close);
      this.addText(t);
      this.pos = close + 3;
    } else if (this.startsWith(p, "<!DOCTYPE")) {
      if (this.rootSeen) this.fail("DOCTYPE after the root element", p);
      this.doctype();
    } else {
      this.stop("unknown markup declaration", p);
    }
  }

  // Skips `<!DOCTYPE ...>` including an internal subset, whose declarations are ignored on purpose.
  doctype(): void {
    let p = this.pos + 9;
    const end = this.end;
    let depth = 0; // inside [ ... ]
    while (p < end) {
      const c = this.at(p);
      if (c == 0x22 || c == 0x27) {
        // A quoted literal may hold any of > ] [.
        let q = p + 1;
        while (q < end && this.at(q) != c) q++;
        if (q >= end) break;
        p = q + 1;
        continue;
      }
      if (depth > 0 && c == LT && this.startsWith(p, "<!--")) {
        const close = this.find(p + 4, "-->");
        if (close < 0) break;
        p = close + 3;
        continue;
      }
      if (c == 0x5b) depth++;
      else if (c == 0x5d && depth > 0) depth--;
      else if (c == GT && depth == 0) {
        this.pos = p + 1;
        return;
      }
      p++;
    }
    this.stop("unterminated DOCTYPE", this.pos);
  }

  startTag(): void {
    const lt = this.pos;
    const ns = lt + 1;
    const ne = this.name(ns);
    if (ne == ns) {
      this.stop("expected an element name after '<'", ns);
      return;
    }
    if (this.rootClosed && this.openStart.length == 0) this.fail("second root element", lt);
    let p = ne;
    while (true) {
      const s = this.spaces(p);
      if (s >= this.end) {
        this.stop("unexpected end of document in a start tag", s);
        return;
      }
      const c = this.at(s);
      if (c == GT || (c == SLASH && s + 1 < this.end && this.at(s + 1) == GT)) {
        this.rootSeen = true;
        if (c == GT) {
          this.pos = s + 1;
          this.push(ns, ne);
        } else {
          this.pos = s + 2;
          if (this.openStart.length == 0) this.rootClosed = true; // an empty root: <a/>
        }
        return;
      }
      if (s == p) {
        this.stop("expected whitespace, '>' or '/>' in a start tag", s);
        return;
      }
      p = this.attribute(s);
      if (p < 0) return;
    }
  }

  // Reads `name = "value"` at p, adding the value; returns the position after it or -1 (stopped).
  attribute(p: i32): i32 {
    const ne = this.name(p);
    if (ne == p) {
      this.stop("expected an attribute name", p);
      return -1;
    }
    let q = this.spaces(ne);
    if (q >= this.end || this.at(q) != EQ) {
      this.stop("expected '=' after an attribute name", q);
      return -1;
    }
    q = this.spaces(q + 1);
    if (q >= this.end || (this.at(q) != 0x22 && this.at(q) != 0x27)) {
      this.stop("expected a quoted attribute value", q);
      return -1;
    }
    const quote = this.at(q);
    const t = this.text;
    t.len = 0;
    let i = q + 1;
    let start = i;
    while (i < this.end) {
      const c = this.at(i);
      if (c == quote) break;
      if (c == AMP || c == CR) {
        t.pushRange(this.body, start, i);
        i = c == AMP ? this.entity(i, t) : this.newline(i, t);
        start = i;
        continue;
      }
      if (c == LT) this.fail("'<' in an attribute value", i);
      i++;
    }
    if (i >= this.end) {
      this.stop("unterminated attribute value", q);
      return -1;
    }
    t.pushRange(this.body, start, i);
    if (!this.full()) this.out.attrs.push(t.copy());
    return i + 1;
  }

  endTag(): void {
    const ns = this.pos + 2;
    const ne = this.name(ns);
    if (ne == ns) {
      this.stop("expected an element name after '</'", ns);
      return;
    }
    const s = this.spaces(ne);
    if (s >= this.end || this.at(s) != GT) {
      this.stop("expected '>' in an end tag", s);
      return;
    }
    this.pos = s + 1;
    // Close the innermost open element with this name; elements left open inside it are an error.
    const n = this.openStart.length;
    let i = n - 1;
    while (i >= 0 && !this.sameName(this.openStart[i], this.openEnd[i], ns, ne)) i--;
    if (i < 0) {
      this.fail("end tag </" + this.nameAt(ns, ne) + "> without a start tag", ns - 2);
      return;
    }
    if (i != n - 1) {
      this.fail(
        "element <" + this.nameAt(this.openStart[n - 1], this.openEnd[n - 1]) + "> closed by </" + this.nameAt(ns, ne) + ">",
        ns - 2,
      );
    }
    this.openStart.length = i;
    this.openEnd.length = i;
    if (i == 0) this.rootClosed = true;
  }

  push(ns: i32, ne: i32): void {
    if (this.out.maxDepth > 0 && this.openStart.length >= this.out.maxDepth) {
      this.stop("elements nested deeper than " + this.out.maxDepth.toString(), ns - 1);
      return;
    }
    this.openStart.push(ns);
    this.openEnd.push(ne);
  }

  // ---- lexical helpers ----

  // End of the XML name starting at p (== p when there is none). Bytes >= 0x80 count as name characters.
  name(p: i32): i32 {
    const end = this.end;
    if (p >= end || !isNameStart(this.at(p))) return p;
    let q = p + 1;
    while (q < end && isNameChar(this.at(q))) q++;
    return q;
  }

  spaces(p: i32): i32 {
    while (p < this.end) {
      const c = this.at(p);
      if (c != 0x20 && c != 0x09 && c != LF && c != CR) break;
      p++;
    }
    return p;
  }

  startsWith(p: i32, lit: string): bool {
    const n = lit.length;
    if (p + n > this.end) return false;
    for (let i = 0; i < n; i++) if (this.at(p + i) != <u32>lit.charCodeAt(i)) return false;
    return true;
  }

  // Position of `lit` at or after p, or -1.
  find(p: i32, lit: string): i32 {
    const first = <u32>lit.charCodeAt(0);
    const last = this.end - lit.length;
    for (let i = p; i <= last; i++) if (this.at(i) == first && this.startsWith(i, lit)) return i;
    return -1;
  }

  skipUntil(from: i32, close: string, what: string): void {
    const i = this.find(from, close);
    if (i < 0) {
      this.stop("unterminated " + what, this.pos);
      return;
    }
    this.pos = i + close.length;
  }

  sameName(a: i32, ae: i32, b: i32, be: i32): bool {
    if (ae - a != be - b) return false;
    return memory.compare(this.body.dataStart + <usize>a, this.body.dataStart + <usize>b, <usize>(ae - a)) == 0;
  }

  // A name for an error message (bytes as Latin-1, cut short).
  nameAt(a: i32, e: i32): string {
    let s = "";
    const stop = e - a > 40 ? a + 40 : e;
    for (let i = a; i < stop; i++) s += String.fromCharCode(this.at(i));
    return stop < e ? s + "..." : s;
  }
}

function isNameStart(c: u32): bool {
  const l = c | 0x20;
  return (l >= 0x61 && l <= 0x7a) || c == 0x5f || c == 0x3a || c >= 0x80;
}

function isNameChar(c: u32): bool {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x2e;
}
