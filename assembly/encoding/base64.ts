// Base64 (RFC 4648 §4) and base64url (§5), strict by default: canonical padding, zero unused bits,
// no whitespace. JWT segments use base64url without padding.
import { BytesResult } from "./bytes";

export enum Padding {
  /** Use the alphabet's default: required for standard base64, forbidden for base64url. */
  Default = 0,
  Required = 1,
  Forbidden = 2,
  /** Accept input with or without (correct) padding. */
  Optional = 3,
}

export class Base64Options {
  url: bool = false;
  padding: Padding = Padding.Default;
  /** Skip SP, TAB, CR, LF anywhere (e.g. PEM bodies). */
  allowWhitespace: bool = false;

  static standard(): Base64Options {
    return new Base64Options();
  }
  static urlSafe(): Base64Options {
    const o = new Base64Options();
    o.url = true;
    return o;
  }
  withPadding(p: Padding): Base64Options {
    this.padding = p;
    return this;
  }
  withWhitespace(): Base64Options {
    this.allowWhitespace = true;
    return this;
  }
}

const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// @ts-ignore: decorator
@inline
function sextet(c: u32, url: bool): i32 {
  if (c - 0x41 < 26) return <i32>(c - 0x41);
  if (c - 0x61 < 26) return <i32>(c - 0x61 + 26);
  if (c - 0x30 < 10) return <i32>(c - 0x30 + 52);
  if (url) {
    if (c == 0x2d) return 62;
    if (c == 0x5f) return 63;
  } else {
    if (c == 0x2b) return 62;
    if (c == 0x2f) return 63;
  }
  return -1;
}

// @ts-ignore: decorator
@inline
function isWs(c: u32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0d || c == 0x0a;
}

/** Decodes ptr[0..len). Errors name the problem and its offset; nothing is accepted loosely. */
export function base64DecodePtr(ptr: usize, len: i32, opts: Base64Options = new Base64Options()): BytesResult {
  if (len < 0) len = 0;
  const url = opts.url;
  let pad = opts.padding;
  if (pad == Padding.Default) pad = url ? Padding.Forbidden : Padding.Required;
  // Pass 1: validate, count data characters and padding.
  let data = 0;
  let pads = 0;
  for (let i = 0; i < len; i++) {
    const c = <u32>load<u8>(ptr + <usize>i);
    if (opts.allowWhitespace && isWs(c)) continue;
    if (c == 0x3d) {
      pads++;
      continue;
    }
    if (pads > 0) return BytesResult.failure("data after padding", i);
    if (sextet(c, url) < 0) return BytesResult.failure("invalid base64 character", i);
    data++;
  }
  const rem = data & 3;
  if (rem == 1) return BytesResult.failure("truncated base64 (length mod 4 is 1)", len);
  if (pads > 0) {
    if (pad == Padding.Forbidden) return BytesResult.failure("padding not allowed", len - pads);
    if (rem == 0 || pads != 4 - rem) return BytesResult.failure("wrong amount of padding", len);
  } else if (rem != 0 && pad == Padding.Required) {
    return BytesResult.failure("missing padding", len);
  }
  const outLen = (data >> 2) * 3 + (rem == 0 ? 0 : rem - 1);
  const out = new Uint8Array(outLen);
  const o = out.dataStart;
  // Pass 2: decode.
  let acc: u32 = 0;
  let n = 0;
  let w = 0;
  let lastAt = 0;
  for (let i = 0; i < len; i++) {
    const c = <u32>load<u8>(ptr + <usize>i);
    if (c == 0x3d || (opts.allowWhitespace && isWs(c))) continue;
    acc = (acc << 6) | <u32>sextet(c, url);
    lastAt = i;
    n++;
    if (n == 4) {
      store<u8>(o + <usize>w, <u8>(acc >> 16));
      store<u8>(o + <usize>w + 1, <u8>(acc >> 8));
      store<u8>(o + <usize>w + 2, <u8>acc);
      w += 3;
      n = 0;
      acc = 0;
    }
  }
  // Canonical form: the bits of the last character that do not make a whole byte must be zero.
  if (n == 2) {
    if ((acc & 0xf) != 0) return BytesResult.failure("non-canonical base64 (unused bits set)", lastAt);
    store<u8>(o + <usize>w, <u8>(acc >> 4));
  } else if (n == 3) {
    if ((acc & 0x3) != 0) return BytesResult.failure("non-canonical base64 (unused bits set)", lastAt);
    store<u8>(o + <usize>w, <u8>(acc >> 10));
    store<u8>(o + <usize>w + 1, <u8>(acc >> 2));
  }
  return BytesResult.success(out);
}

export function base64Decode(bytes: Uint8Array, opts: Base64Options = new Base64Options()): BytesResult {
  return base64DecodePtr(bytes.dataStart, bytes.length, opts);
}

export function base64DecodeString(text: string, opts: Base64Options = new Base64Options()): BytesResult {
  const buf = String.UTF8.encode(text);
  return base64DecodePtr(changetype<usize>(buf), buf.byteLength, opts);
}

/** base64url without padding, as JWTs use. */
export function base64UrlDecode(text: string): BytesResult {
  return base64DecodeString(text, Base64Options.urlSafe());
}

/** Encodes ptr[0..len) into ASCII bytes. Padding follows the alphabet's default unless given. */
export function base64EncodeToBytes(ptr: usize, len: i32, url: bool = false, pad: bool = !url): Uint8Array {
  if (len < 0) len = 0;
  const alphabet = url ? URL : STD;
  const full = len / 3;
  const rest = len - full * 3;
  const outLen = full * 4 + (rest == 0 ? 0 : pad ? 4 : rest + 1);
  const out = new Uint8Array(outLen);
  const o = out.dataStart;
  const a = changetype<usize>(alphabet); // UTF-16 code units
  let w: usize = 0;
  let i: usize = 0;
  for (let k = 0; k < full; k++) {
    const v = (<u32>load<u8>(ptr + i) << 16) | (<u32>load<u8>(ptr + i + 1) << 8) | <u32>load<u8>(ptr + i + 2);
    store<u8>(o + w, <u8>load<u16>(a + (<usize>(v >> 18) << 1)));
    store<u8>(o + w + 1, <u8>load<u16>(a + (<usize>((v >> 12) & 63) << 1)));
    store<u8>(o + w + 2, <u8>load<u16>(a + (<usize>((v >> 6) & 63) << 1)));
    store<u8>(o + w + 3, <u8>load<u16>(a + (<usize>(v & 63) << 1)));
    i += 3;
    w += 4;
  }
  if (rest > 0) {
    const b0 = <u32>load<u8>(ptr + i);
    const b1 = rest == 2 ? <u32>load<u8>(ptr + i + 1) : 0;
    const v = (b0 << 16) | (b1 << 8);
    store<u8>(o + w, <u8>load<u16>(a + (<usize>(v >> 18) << 1)));
    store<u8>(o + w + 1, <u8>load<u16>(a + (<usize>((v >> 12) & 63) << 1)));
    if (rest == 2) store<u8>(o + w + 2, <u8>load<u16>(a + (<usize>((v >> 6) & 63) << 1)));
    else if (pad) store<u8>(o + w + 2, 0x3d);
    if (pad) store<u8>(o + w + 3, 0x3d);
  }
  return out;
}

export function base64Encode(bytes: Uint8Array, url: bool = false, pad: bool = !url): string {
  const out = base64EncodeToBytes(bytes.dataStart, bytes.length, url, pad);
  return String.UTF8.decodeUnsafe(out.dataStart, <usize>out.length);
}

/** base64url without padding, as JWTs use. */
export function base64UrlEncode(bytes: Uint8Array): string {
  return base64Encode(bytes, true, false);
}
