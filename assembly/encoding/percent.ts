// Percent-encoding (RFC 3986 §2.1) for URLs and form data.
import { BytesResult, ByteSink, hexValue, hexDigitUpper } from "./bytes";

export class PercentOptions {
  /** Decode '+' as a space (application/x-www-form-urlencoded). */
  plusAsSpace: bool = false;
  /** Reject '%' not followed by two hex digits (otherwise it is kept literally). */
  strict: bool = true;
  /** Reject decoded NUL bytes (a classic way to truncate strings downstream). */
  rejectNul: bool = false;

  static form(): PercentOptions {
    const o = new PercentOptions();
    o.plusAsSpace = true;
    return o;
  }
  lenient(): PercentOptions {
    this.strict = false;
    return this;
  }
}

/** Decodes ptr[0..len). The result is raw bytes: check UTF-8 yourself if you need text. */
export function percentDecodePtr(ptr: usize, len: i32, opts: PercentOptions = new PercentOptions()): BytesResult {
  if (len < 0) len = 0;
  // Output is never longer than the input.
  const out = new Uint8Array(len);
  const o = out.dataStart;
  let w = 0;
  let i = 0;
  while (i < len) {
    let c = <u32>load<u8>(ptr + <usize>i);
    if (c == 0x25) {
      let hi = -1;
      let lo = -1;
      if (i + 2 < len) {
        hi = hexValue(load<u8>(ptr + <usize>i + 1));
        lo = hexValue(load<u8>(ptr + <usize>i + 2));
      }
      if (hi >= 0 && lo >= 0) {
        c = <u32>((hi << 4) | lo);
        if (c == 0 && opts.rejectNul) return BytesResult.failure("encoded NUL byte", i);
        store<u8>(o + <usize>w, <u8>c);
        w++;
        i += 3;
        continue;
      }
      if (opts.strict) return BytesResult.failure("'%' not followed by two hex digits", i);
    } else if (c == 0x2b && opts.plusAsSpace) {
      c = 0x20;
    } else if (c == 0 && opts.rejectNul) {
      return BytesResult.failure("NUL byte", i);
    }
    store<u8>(o + <usize>w, <u8>c);
    w++;
    i++;
  }
  return BytesResult.success(w == len ? out : out.slice(0, w));
}

export function percentDecode(text: string, opts: PercentOptions = new PercentOptions()): BytesResult {
  const buf = String.UTF8.encode(text);
  return percentDecodePtr(changetype<usize>(buf), buf.byteLength, opts);
}

// RFC 3986 unreserved characters are never encoded.
// @ts-ignore: decorator
@inline
export function isUnreserved(c: u32): bool {
  return (c | 0x20) - 0x61 < 26 || c - 0x30 < 10 || c == 0x2d || c == 0x2e || c == 0x5f || c == 0x7e;
}

/**
 * Encodes every byte of the UTF-8 text except unreserved characters and those listed in `keep`
 * (e.g. "/" for paths). Hex digits are upper-case.
 */
export function percentEncode(text: string, keep: string = ""): string {
  const buf = String.UTF8.encode(text);
  const p = changetype<usize>(buf);
  const n = buf.byteLength;
  const out = new ByteSink(n + 8);
  for (let i = 0; i < n; i++) {
    const c = <u32>load<u8>(p + <usize>i);
    if (isUnreserved(c) || (c < 0x80 && keep.indexOf(String.fromCharCode(c)) >= 0)) {
      out.byte(c);
    } else {
      out.byte(0x25);
      out.byte(hexDigitUpper(c >> 4));
      out.byte(hexDigitUpper(c & 15));
    }
  }
  return out.toString();
}
