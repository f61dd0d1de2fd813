// AES block encryption (FIPS 197) for 128/192/256-bit keys, forward direction only (all GCM needs).
// T-table implementation: fast in Wasm, but table lookups are data-dependent memory accesses, so it
// is not hardened against cache-timing observers sharing the core.

const SBOX = new StaticArray<u8>(256);
const TE0 = new StaticArray<u32>(256);
const TE1 = new StaticArray<u32>(256);
const TE2 = new StaticArray<u32>(256);
const TE3 = new StaticArray<u32>(256);
let tablesReady = false;

// @ts-ignore: decorator
@inline function xtime(x: u32): u32 {
  return ((x << 1) ^ (((x >> 7) & 1) * 0x1b)) & 0xff;
}

/** Builds the S-box from its definition (inverse in GF(2^8), then the affine map) and the T-tables. */
function initTables(): void {
  // Walk the multiplicative group with generator 3 to get inverses: inv(3^i) = 3^(255-i).
  const pow = new StaticArray<u8>(256);
  let x: u32 = 1;
  for (let i = 0; i < 255; i++) {
    unchecked((pow[i] = <u8>x));
    x ^= xtime(x);
  }
  const log = new StaticArray<u8>(256);
  for (let i = 0; i < 255; i++) unchecked((log[pow[i]] = <u8>i));
  for (let v = 0; v < 256; v++) {
    const inv: u32 = v == 0 ? 0 : <u32>unchecked(pow[(255 - <i32>unchecked(log[v])) % 255]);
    let s = inv;
    let r = inv;
    for (let k = 0; k < 4; k++) {
      r = ((r << 1) | (r >> 7)) & 0xff;
      s ^= r;
    }
    unchecked((SBOX[v] = <u8>(s ^ 0x63)));
  }
  for (let v = 0; v < 256; v++) {
    const s = <u32>unchecked(SBOX[v]);
    const s2 = xtime(s);
    const w = (s2 << 24) | (s << 16) | (s << 8) | (s2 ^ s);
    unchecked((TE0[v] = w));
    unchecked((TE1[v] = rotr<u32>(w, 8)));
    unchecked((TE2[v] = rotr<u32>(w, 16)));
    unchecked((TE3[v] = rotr<u32>(w, 24)));
  }
  tablesReady = true;
}

export class Aes {
  /** Expanded key: 4 * (rounds + 1) words. */
  private rk: StaticArray<u32>;
  readonly rounds: i32;

  /** `key` must be 16, 24 or 32 bytes (checked by the caller). */
  constructor(key: Uint8Array) {
    if (!tablesReady) initTables();
    const nk = key.length >> 2;
    const rounds = nk + 6;
    this.rounds = rounds;
    const total = 4 * (rounds + 1);
    const rk = new StaticArray<u32>(total);
    for (let i = 0; i < nk; i++) unchecked((rk[i] = bswap<u32>(load<u32>(key.dataStart + <usize>(i << 2)))));
    let rcon: u32 = 1;
    for (let i = nk; i < total; i++) {
      let t = unchecked(rk[i - 1]);
      if (i % nk == 0) {
        t = subWord(rotr<u32>(t, 24)) ^ (rcon << 24);
        rcon = xtime(rcon);
      } else if (nk > 6 && i % nk == 4) {
        t = subWord(t);
      }
      unchecked((rk[i] = unchecked(rk[i - nk]) ^ t));
    }
    this.rk = rk;
  }

  /** Encrypts the 16-byte block at `src` into `dst` (may alias). */
  encryptBlock(dst: usize, src: usize): void {
    const rk = changetype<usize>(this.rk);
    const t0p = changetype<usize>(TE0), t1p = changetype<usize>(TE1), t2p = changetype<usize>(TE2), t3p = changetype<usize>(TE3);
    let s0 = bswap<u32>(load<u32>(src)) ^ load<u32>(rk);
    let s1 = bswap<u32>(load<u32>(src, 4)) ^ load<u32>(rk, 4);
    let s2 = bswap<u32>(load<u32>(src, 8)) ^ load<u32>(rk, 8);
    let s3 = bswap<u32>(load<u32>(src, 12)) ^ load<u32>(rk, 12);
    let k = rk + 16;
    for (let r = 1; r < this.rounds; r++) {
      const a0 = load<u32>(t0p + ((s0 >> 24) << 2)) ^ load<u32>(t1p + (((s1 >> 16) & 255) << 2)) ^ load<u32>(t2p + (((s2 >> 8) & 255) << 2)) ^ load<u32>(t3p + ((s3 & 255) << 2)) ^ load<u32>(k);
      const a1 = load<u32>(t0p + ((s1 >> 24) << 2)) ^ load<u32>(t1p + (((s2 >> 16) & 255) << 2)) ^ load<u32>(t2p + (((s3 >> 8) & 255) << 2)) ^ load<u32>(t3p + ((s0 & 255) << 2)) ^ load<u32>(k, 4);
      const a2 = load<u32>(t0p + ((s2 >> 24) << 2)) ^ load<u32>(t1p + (((s3 >> 16) & 255) << 2)) ^ load<u32>(t2p + (((s0 >> 8) & 255) << 2)) ^ load<u32>(t3p + ((s1 & 255) << 2)) ^ load<u32>(k, 8);
      const a3 = load<u32>(t0p + ((s3 >> 24) << 2)) ^ load<u32>(t1p + (((s0 >> 16) & 255) << 2)) ^ load<u32>(t2p + (((s1 >> 8) & 255) << 2)) ^ load<u32>(t3p + ((s2 & 255) << 2)) ^ load<u32>(k, 12);
      s0 = a0; s1 = a1; s2 = a2; s3 = a3;
      k += 16;
    }
    const sb = changetype<usize>(SBOX);
    const o0 = finalWord(sb, s0, s1, s2, s3) ^ load<u32>(k);
    const o1 = finalWord(sb, s1, s2, s3, s0) ^ load<u32>(k, 4);
    const o2 = finalWord(sb, s2, s3, s0, s1) ^ load<u32>(k, 8);
    const o3 = finalWord(sb, s3, s0, s1, s2) ^ load<u32>(k, 12);
    store<u32>(dst, bswap<u32>(o0));
    store<u32>(dst, bswap<u32>(o1), 4);
    store<u32>(dst, bswap<u32>(o2), 8);
    store<u32>(dst, bswap<u32>(o3), 12);
  }
}

// @ts-ignore: decorator
@inline function finalWord(sb: usize, a: u32, b: u32, c: u32, d: u32): u32 {
  return (<u32>load<u8>(sb + (a >> 24)) << 24) | (<u32>load<u8>(sb + ((b >> 16) & 255)) << 16) |
    (<u32>load<u8>(sb + ((c >> 8) & 255)) << 8) | <u32>load<u8>(sb + (d & 255));
}

function subWord(w: u32): u32 {
  return (<u32>unchecked(SBOX[w >> 24]) << 24) | (<u32>unchecked(SBOX[(w >> 16) & 255]) << 16) |
    (<u32>unchecked(SBOX[(w >> 8) & 255]) << 8) | <u32>unchecked(SBOX[w & 255]);
}
