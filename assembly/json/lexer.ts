// Byte-level JSON tokenizer shared by the tree parser and the claim scanner. It validates strings
// (escapes, surrogates, UTF-8, control characters) and numbers (RFC 8259 grammar) in place and
// records spans, so callers decide whether to build a `string` at all.
import { JsonErrorCode } from "./error";
import { utf8SeqLen, utf8Decode } from "../encoding/utf8";
import { hexValue } from "../encoding/bytes";

/** Longest number literal accepted; longer ones are rejected rather than parsed slowly. */
export const MAX_NUMBER_CHARS: i32 = 512;

// Exact powers of ten representable as f64 (Clinger's fast path).
const POW10: StaticArray<f64> = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

// @ts-ignore: decorator
@inline
export function isJsonWs(c: u32): bool {
  return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09;
}

export class Lexer {
  start: usize = 0; // first byte of the document
  pos: usize = 0;
  end: usize = 0;
  code: JsonErrorCode = JsonErrorCode.None;
  errAt: usize = 0;

  // Last string scanned: content span (without quotes), escapes seen, UTF-16 length.
  strStart: usize = 0;
  strEnd: usize = 0;
  strHasEscape: bool = false;
  strUnits: i32 = 0;

  // Last number scanned.
  numStart: usize = 0;
  numEnd: usize = 0;
  numIsInt: bool = false; // no fraction, no exponent
  numValue: f64 = 0;
  numIntOk: bool = false; // numInt holds the exact value
  numInt: i64 = 0;

  reset(ptr: usize, len: i32): void {
    this.start = ptr;
    this.pos = ptr;
    this.end = ptr + <usize>len;
    this.code = JsonErrorCode.None;
    this.errAt = 0;
  }

  /** Records the first error only; always returns false so callers can `return lx.fail(...)`. */
  fail(code: JsonErrorCode, at: usize): bool {
    if (this.code == JsonErrorCode.None) {
      this.code = code;
      this.errAt = at;
    }
    return false;
  }

  get errorOffset(): i32 {
    return <i32>(this.errAt - this.start);
  }

  // @ts-ignore: decorator
  @inline
  skipWs(): void {
    let p = this.pos;
    const end = this.end;
    while (p < end && isJsonWs(load<u8>(p))) p++;
    this.pos = p;
  }

  /** Next byte without consuming it, or -1 at end of input. */
  // @ts-ignore: decorator
  @inline
  peek(): i32 {
    return this.pos < this.end ? <i32>load<u8>(this.pos) : -1;
  }

  /** Expects `lit` (e.g. "true") at pos. */
  literal(lit: string): bool {
    const n = <usize>lit.length;
    for (let i: usize = 0; i < n; i++) {
      const p = this.pos + i;
      if (p >= this.end) return this.fail(JsonErrorCode.UnexpectedEnd, p);
      if (<u32>load<u8>(p) != <u32>lit.charCodeAt(<i32>i)) return this.fail(JsonErrorCode.UnexpectedChar, p);
    }
    this.pos += n;
    return true;
  }

  /** Validates the string whose opening quote is at pos; leaves pos after the closing quote. */
  scanString(): bool {
    let p = this.pos + 1;
    const end = this.end;
    let units = 0;
    let esc = false;
    this.strStart = p;
    while (true) {
      // Plain ASCII run, 8 bytes at a time: stop at a byte that is '"', '\\', < 0x20 or >= 0x80.
      while (p + 8 <= end) {
        const x = load<u64>(p);
        const q = x ^ 0x2222222222222222;
        const b = x ^ 0x5c5c5c5c5c5c5c5c;
        const special =
          ((q - 0x0101010101010101) & ~q) | ((b - 0x0101010101010101) & ~b) | (x - 0x2020202020202020) | x;
        if ((special & 0x8080808080808080) != 0) break;
        p += 8;
        units += 8;
      }
      while (p < end) {
        const c = <u32>load<u8>(p);
        if (c < 0x20 || c == 0x22 || c == 0x5c || c >= 0x80) break;
        p++;
        units++;
      }
      if (p >= end) return this.fail(JsonErrorCode.UnexpectedEnd, p);
      const c = <u32>load<u8>(p);
      if (c == 0x22) break;
      if (c == 0x5c) {
        esc = true;
        if (p + 1 >= end) return this.fail(JsonErrorCode.UnexpectedEnd, p + 1);
        const e = <u32>load<u8>(p + 1);
        if (e == 0x75) {
          const cp = this.hex4(p + 2);
          if (cp < 0) return false;
          if (cp >= 0xdc00 && cp <= 0xdfff) return this.fail(JsonErrorCode.LoneSurrogate, p);
          if (cp >= 0xd800 && cp <= 0xdbff) {
            // A high surrogate must be followed by an escaped low surrogate.
            if (p + 7 >= end || load<u8>(p + 6) != 0x5c || load<u8>(p + 7) != 0x75)
              return this.fail(JsonErrorCode.LoneSurrogate, p);
            const lo = this.hex4(p + 8);
            if (lo < 0) return false;
            if (lo < 0xdc00 || lo > 0xdfff) return this.fail(JsonErrorCode.LoneSurrogate, p);
            p += 12;
            units += 2;
          } else {
            p += 6;
            units++;
          }
        } else if (
          e == 0x22 || e == 0x5c || e == 0x2f || e == 0x62 || e == 0x66 || e == 0x6e || e == 0x72 || e == 0x74
        ) {
          p += 2;
          units++;
        } else {
          return this.fail(JsonErrorCode.BadEscape, p);
        }
      } else if (c < 0x20) {
        return this.fail(JsonErrorCode.ControlCharInString, p);
      } else {
        const n = utf8SeqLen(p, end);
        if (n == 0) return this.fail(JsonErrorCode.InvalidUtf8, p);
        p += <usize>n;
        units += n == 4 ? 2 : 1;
      }
    }
    this.strEnd = p;
    this.strHasEscape = esc;
    this.strUnits = units;
    this.pos = p + 1;
    return true;
  }

  /** Value of the 4 hex digits at p, or -1 after recording an error. */
  hex4(p: usize): i32 {
    let v = 0;
    for (let i: usize = 0; i < 4; i++) {
      if (p + i >= this.end) {
        this.fail(JsonErrorCode.UnexpectedEnd, this.end);
        return -1;
      }
      const d = hexValue(load<u8>(p + i));
      if (d < 0) {
        this.fail(JsonErrorCode.BadEscape, p - 2);
        return -1;
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /** Builds the last scanned string. Only valid right after a successful scanString. */
  decodeString(): string {
    const units = this.strUnits;
    if (units == 0) return "";
    if (!this.strHasEscape) {
      return String.UTF8.decodeUnsafe(this.strStart, this.strEnd - this.strStart);
    }
    const out = __new(<usize>units << 1, idof<String>());
    let o = out;
    let p = this.strStart;
    const end = this.strEnd;
    while (p < end) {
      const c = <u32>load<u8>(p);
      if (c == 0x5c) {
        const e = <u32>load<u8>(p + 1);
        let u: u32 = e;
        if (e == 0x75) {
          u = <u32>this.hex4(p + 2);
          p += 6;
          store<u16>(o, <u16>u);
          o += 2;
          continue;
        }
        if (e == 0x62) u = 0x08;
        else if (e == 0x66) u = 0x0c;
        else if (e == 0x6e) u = 0x0a;
        else if (e == 0x72) u = 0x0d;
        else if (e == 0x74) u = 0x09;
        store<u16>(o, <u16>u);
        o += 2;
        p += 2;
      } else if (c < 0x80) {
        store<u16>(o, <u16>c);
        o += 2;
        p++;
      } else {
        const n = utf8SeqLen(p, end);
        const cp = utf8Decode(p, n);
        if (cp >= 0x10000) {
          const v = cp - 0x10000;
          store<u16>(o, <u16>(0xd800 | (v >> 10)));
          store<u16>(o + 2, <u16>(0xdc00 | (v & 0x3ff)));
          o += 4;
        } else {
          store<u16>(o, <u16>cp);
          o += 2;
        }
        p += <usize>n;
      }
    }
    return changetype<string>(out);
  }

  /**
   * Decodes one code point of the last scanned string's raw content at `p` (escape or UTF-8).
   * Stores the position after it in `this.cpNext`. Used to compare escaped keys without allocating.
   */
  cpNext: usize = 0;
  codePointAt(p: usize): u32 {
    const c = <u32>load<u8>(p);
    if (c == 0x5c) {
      const e = <u32>load<u8>(p + 1);
      if (e == 0x75) {
        const hi = <u32>this.hex4(p + 2);
        if (hi >= 0xd800 && hi <= 0xdbff) {
          const lo = <u32>this.hex4(p + 8);
          this.cpNext = p + 12;
          return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
        }
        this.cpNext = p + 6;
        return hi;
      }
      this.cpNext = p + 2;
      if (e == 0x62) return 0x08;
      if (e == 0x66) return 0x0c;
      if (e == 0x6e) return 0x0a;
      if (e == 0x72) return 0x0d;
      if (e == 0x74) return 0x09;
      return e;
    }
    if (c < 0x80) {
      this.cpNext = p + 1;
      return c;
    }
    const n = utf8SeqLen(p, this.strEnd);
    this.cpNext = p + <usize>n;
    return utf8Decode(p, n);
  }

  /**
   * Validates the number at pos (RFC 8259 grammar) and computes its value. Rejects leading zeros,
   * a bare '-', missing digits, overlong literals and values that overflow f64.
   * With `compute` false only the grammar and length are checked (no allocation, value unset).
   */
  scanNumber(compute: bool = true): bool {
    let p = this.pos;
    const end = this.end;
    const s = p;
    let neg = false;
    if (p < end && load<u8>(p) == 0x2d) {
      neg = true;
      p++;
    }
    if (p >= end) return this.fail(JsonErrorCode.UnexpectedEnd, p);
    let c = <u32>load<u8>(p);
    if (c - 0x30 > 9) return this.fail(JsonErrorCode.BadNumber, p);
    let mant: u64 = 0;
    let sig = 0; // significant digits folded into mant (at most 19)
    let dropped = 0; // integer digits beyond the 19 kept, they scale the exponent
    if (c == 0x30) {
      p++;
      if (p < end && <u32>load<u8>(p) - 0x30 <= 9) return this.fail(JsonErrorCode.LeadingZero, s);
    } else {
      while (p < end) {
        c = <u32>load<u8>(p);
        if (c - 0x30 > 9) break;
        if (sig < 19) {
          mant = mant * 10 + <u64>(c - 0x30);
          sig++;
        } else dropped++;
        p++;
      }
    }
    let fracDigits = 0;
    let isInt = true;
    let exp10: i32 = dropped;
    if (p < end && load<u8>(p) == 0x2e) {
      isInt = false;
      p++;
      while (p < end) {
        c = <u32>load<u8>(p);
        if (c - 0x30 > 9) break;
        if (sig < 19 && !(mant == 0 && c == 0x30 && sig == 0)) {
          mant = mant * 10 + <u64>(c - 0x30);
          sig++;
          exp10--;
        } else if (mant == 0 && sig == 0) {
          exp10--; // leading fraction zeros only scale
        }
        fracDigits++;
        p++;
      }
      if (fracDigits == 0) return this.fail(p < end ? JsonErrorCode.BadNumber : JsonErrorCode.UnexpectedEnd, p);
    }
    if (p < end && (load<u8>(p) | 0x20) == 0x65) {
      isInt = false;
      p++;
      let eneg = false;
      if (p < end && (load<u8>(p) == 0x2b || load<u8>(p) == 0x2d)) {
        eneg = load<u8>(p) == 0x2d;
        p++;
      }
      let e: i32 = 0;
      let edigits = 0;
      while (p < end) {
        c = <u32>load<u8>(p);
        if (c - 0x30 > 9) break;
        if (e < 100000) e = e * 10 + <i32>(c - 0x30); // saturate: beyond this it is 0 or infinity anyway
        edigits++;
        p++;
      }
      if (edigits == 0) return this.fail(p < end ? JsonErrorCode.BadNumber : JsonErrorCode.UnexpectedEnd, p);
      exp10 += eneg ? -e : e;
    }
    if (<i32>(p - s) > MAX_NUMBER_CHARS) return this.fail(JsonErrorCode.NumberTooLong, s);
    this.numStart = s;
    this.numEnd = p;
    this.numIsInt = isInt;
    this.pos = p;
    // Skipping needs no value, unless the magnitude may overflow f64 (then check it properly).
    if (!compute && (mant == 0 || exp10 + sig < 309)) return true;

    // Exact integer when it fits i64.
    this.numIntOk = false;
    if (isInt && dropped == 0) {
      if (sig < 19 || (neg ? mant <= 0x8000000000000000 : mant <= 0x7fffffffffffffff)) {
        this.numIntOk = true;
        this.numInt = neg ? -(<i64>mant) : <i64>mant;
      }
    }
    // Value: exact fast path, otherwise the standard library's correctly rounded parser.
    let v: f64;
    if (mant == 0) {
      v = 0;
    } else if (sig <= 15 && exp10 >= -22 && exp10 <= 22) {
      v = <f64>mant;
      v = exp10 < 0 ? v / unchecked(POW10[-exp10]) : v * unchecked(POW10[exp10]);
    } else {
      const txt = String.UTF8.decodeUnsafe(neg ? s + 1 : s, p - (neg ? s + 1 : s));
      v = parseFloat(txt);
    }
    if (!isFinite(v)) return this.fail(JsonErrorCode.NumberOutOfRange, s);
    this.numValue = neg ? -v : v;
    return true;
  }
}
