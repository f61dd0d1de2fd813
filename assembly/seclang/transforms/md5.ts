// MD5 (RFC 1321) for the `md5` transformation; assembly/crypto has only SHA-2. Not for security use:
// SecLang rules hash values to compare or log them.

const S: StaticArray<u32> = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
  5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];

/** K[i] = floor(abs(sin(i + 1)) * 2^32), computed once (the RFC's table). */
const K = new StaticArray<u32>(64);
for (let i = 0; i < 64; i++) K[i] = u32(<u64>Math.floor(Math.abs(Math.sin(f64(i + 1))) * 4294967296.0));

/** Message padded to a multiple of 64 bytes with the 0x80 marker and the bit length (little-endian). */
export function mdPad(input: Uint8Array, bigEndian: bool): Uint8Array {
  const n = input.length;
  const total = ((n + 8) / 64 + 1) * 64;
  const m = new Uint8Array(total);
  m.set(input);
  m[n] = 0x80;
  const bits = u64(n) * 8;
  for (let i = 0; i < 8; i++) {
    m[bigEndian ? total - 1 - i : total - 8 + i] = u8(bits >> (8 * u64(i)));
  }
  return m;
}

export function md5(input: Uint8Array): Uint8Array {
  const m = mdPad(input, false);
  let a0: u32 = 0x67452301;
  let b0: u32 = 0xefcdab89;
  let c0: u32 = 0x98badcfe;
  let d0: u32 = 0x10325476;
  const w = new StaticArray<u32>(16);
  for (let off = 0; off < m.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = load<u32>(m.dataStart + off + 4 * i); // wasm is little-endian
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: u32;
      let g: i32;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      f = f + a + K[i] + w[g];
      a = d;
      d = c;
      c = b;
      b = b + rotl<u32>(f, S[i]);
    }
    a0 += a;
    b0 += b;
    c0 += c;
    d0 += d;
  }
  const out = new Uint8Array(16);
  store<u32>(out.dataStart, a0);
  store<u32>(out.dataStart + 4, b0);
  store<u32>(out.dataStart + 8, c0);
  store<u32>(out.dataStart + 12, d0);
  return out;
}
