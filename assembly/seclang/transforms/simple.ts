// Small byte-for-byte transformations: length, removeNulls, replaceNulls, parity*7bit.
import { Bytes } from '../types';
import { ascii, scanTo } from './util';

/** The value's length in bytes, as decimal text. */
export function length(input: Bytes): Bytes {
  return ascii(input.length.toString());
}

export function removeNulls(input: Bytes): Bytes {
  if (scanTo(input, 0) == input.length) return input;
  let z = 0;
  for (let i = 0; i < input.length; i++) if (input[i] == 0) z++;
  const out = new Uint8Array(input.length - z);
  let o = 0;
  for (let i = 0; i < input.length; i++) if (input[i] != 0) out[o++] = input[i];
  return out;
}

export function replaceNulls(input: Bytes): Bytes {
  const at = input.indexOf(0);
  if (at < 0) return input;
  const out = input.slice(0);
  for (let i = at; i < out.length; i++) if (out[i] == 0) out[i] = 0x20;
  return out;
}

/** Parity of the 8 bits of c (ModSecurity computes it over the whole byte): 1 = odd. */
@inline function parity(c: u32): u32 {
  const x = (c ^ (c >> 4)) & 0xf;
  return (0x6996 >> x) & 1;
}

function mapBytes(input: Bytes, f: (c: u32) => u32): Bytes {
  let i = 0;
  const n = input.length;
  while (i < n && f(input[i]) == u32(input[i])) i++;
  if (i == n) return input;
  const out = input.slice(0);
  for (; i < n; i++) out[i] = u8(f(out[i]));
  return out;
}

/** Sets bit 7 when the byte has odd parity, clears it otherwise (ModSecurity's parityEven7bit). */
export function parityEven7bit(input: Bytes): Bytes {
  return mapBytes(input, (c: u32): u32 => (parity(c) != 0 ? c | 0x80 : c & 0x7f));
}

export function parityOdd7bit(input: Bytes): Bytes {
  return mapBytes(input, (c: u32): u32 => (parity(c) != 0 ? c & 0x7f : c | 0x80));
}

export function parityZero7bit(input: Bytes): Bytes {
  return mapBytes(input, (c: u32): u32 => c & 0x7f);
}
