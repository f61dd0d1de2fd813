// base64Decode / base64DecodeExt / base64Encode with ModSecurity's forgiving decoder: CR and LF are
// skipped, decoding stops at `=`, a space or (plain variant) the first byte outside the alphabet, and a
// trailing partial group still yields its whole bytes. The Ext variant also accepts the URL alphabet
// (`-` `_`) and skips whitespace, `.` and any other stray byte instead of stopping.
import { Bytes } from '../types';
import { exact, isSpace, scratch, take } from './util';

/** 0..63 for a standard-alphabet byte, -1 otherwise. */
function b64val(c: u32): i32 {
  if (c >= 0x41 && c <= 0x5a) return i32(c - 0x41);
  if (c >= 0x61 && c <= 0x7a) return i32(c - 0x61 + 26);
  if (c >= 0x30 && c <= 0x39) return i32(c - 0x30 + 52);
  if (c == 0x2b) return 62;
  if (c == 0x2f) return 63;
  return -1;
}

function decode(input: Bytes, ext: bool): Bytes {
  const n = input.length;
  if (n == 0) return input;
  const out = scratch((n / 4) * 3 + 3);
  let o = 0;
  let x: u32 = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    let c = u32(unchecked(input[i]));
    if (ext && (isSpace(c) || c == 0x2e)) continue;
    if (c == 0x0d || c == 0x0a) continue;
    if (c == 0x3d || c == 0x20) break;
    if (ext) {
      if (c == 0x2d) c = 0x2b;
      else if (c == 0x5f) c = 0x2f;
    }
    const v = b64val(c);
    if (v < 0) {
      if (ext) continue;
      break;
    }
    x = (x << 6) | u32(v);
    if (++k == 4) {
      unchecked((out[o++] = u8(x >> 16)));
      unchecked((out[o++] = u8(x >> 8)));
      unchecked((out[o++] = u8(x)));
      k = 0;
      x = 0;
    }
  }
  if (k == 2) {
    unchecked((out[o++] = u8(x >> 4)));
  } else if (k == 3) {
    unchecked((out[o++] = u8(x >> 10)));
    unchecked((out[o++] = u8(x >> 2)));
  }
  return exact(out, o);
}

export function base64Decode(input: Bytes): Bytes {
  return decode(input, false);
}

export function base64DecodeExt(input: Bytes): Bytes {
  return decode(input, true);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64Encode(input: Bytes): Bytes {
  const n = input.length;
  if (n == 0) return input;
  const out = new Uint8Array(((n + 2) / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const x = (u32(input[i]) << 16) | (u32(input[i + 1]) << 8) | u32(input[i + 2]);
    out[o++] = u8(ALPHABET.charCodeAt(x >> 18));
    out[o++] = u8(ALPHABET.charCodeAt((x >> 12) & 63));
    out[o++] = u8(ALPHABET.charCodeAt((x >> 6) & 63));
    out[o++] = u8(ALPHABET.charCodeAt(x & 63));
  }
  if (i < n) {
    const two = i + 1 < n;
    const x = (u32(input[i]) << 16) | (two ? u32(input[i + 1]) << 8 : 0);
    out[o++] = u8(ALPHABET.charCodeAt(x >> 18));
    out[o++] = u8(ALPHABET.charCodeAt((x >> 12) & 63));
    out[o++] = two ? u8(ALPHABET.charCodeAt((x >> 6) & 63)) : 0x3d;
    out[o++] = 0x3d;
  }
  return out;
}
