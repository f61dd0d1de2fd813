// SHA-1 (FIPS 180-4) for the `sha1` transformation (the CRS uses `t:sha1,t:hexEncode`); assembly/crypto
// has only SHA-2. Not for security use.
import { mdPad } from './md5';

export function sha1(input: Uint8Array): Uint8Array {
  const m = mdPad(input, true);
  let h0: u32 = 0x67452301;
  let h1: u32 = 0xefcdab89;
  let h2: u32 = 0x98badcfe;
  let h3: u32 = 0x10325476;
  let h4: u32 = 0xc3d2e1f0;
  const w = new StaticArray<u32>(80);
  for (let off = 0; off < m.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = bswap<u32>(load<u32>(m.dataStart + off + 4 * i));
    for (let i = 16; i < 80; i++) w[i] = rotl<u32>(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let i = 0; i < 80; i++) {
      let f: u32;
      let k: u32;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const t = rotl<u32>(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = rotl<u32>(b, 30);
      b = a;
      a = t;
    }
    h0 += a;
    h1 += b;
    h2 += c;
    h3 += d;
    h4 += e;
  }
  const out = new Uint8Array(20);
  store<u32>(out.dataStart, bswap<u32>(h0));
  store<u32>(out.dataStart + 4, bswap<u32>(h1));
  store<u32>(out.dataStart + 8, bswap<u32>(h2));
  store<u32>(out.dataStart + 12, bswap<u32>(h3));
  store<u32>(out.dataStart + 16, bswap<u32>(h4));
  return out;
}
