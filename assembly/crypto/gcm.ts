// AES-GCM (NIST SP 800-38D) with a 16-byte tag. GHASH uses Shoup's 4-bit table method on u64 halves.
import { Aes } from './aes';
import { BytesResult } from './result';

const LAST4: StaticArray<u64> = [
  0x0000, 0x1c20, 0x3840, 0x2460, 0x7080, 0x6ca0, 0x48c0, 0x54e0,
  0xe100, 0xfd20, 0xd940, 0xc560, 0x9180, 0x8da0, 0xa9c0, 0xb5e0,
];

export const GCM_TAG_BYTES: i32 = 16;
/** IVs longer than this are refused (GCM allows up to 2^61 bytes; nobody needs more than this). */
export const GCM_MAX_IV_BYTES: i32 = 1024;

class Ghash {
  hh: StaticArray<u64> = new StaticArray<u64>(16);
  hl: StaticArray<u64> = new StaticArray<u64>(16);
  zh: u64 = 0;
  zl: u64 = 0;

  constructor(h: Uint8Array) {
    let vh = bswap<u64>(load<u64>(h.dataStart));
    let vl = bswap<u64>(load<u64>(h.dataStart, 8));
    const hh = this.hh, hl = this.hl;
    unchecked((hh[8] = vh));
    unchecked((hl[8] = vl));
    // Multiples of H by x, x^2, x^3 (entries 4, 2, 1 in GHASH's reflected bit order).
    for (let i = 4; i > 0; i >>= 1) {
      const t: u64 = (vl & 1) * 0xe1000000;
      vl = (vh << 63) | (vl >> 1);
      vh = (vh >> 1) ^ (t << 32);
      unchecked((hh[i] = vh));
      unchecked((hl[i] = vl));
    }
    for (let i = 2; i <= 8; i <<= 1) {
      const bh = unchecked(hh[i]), bl = unchecked(hl[i]);
      for (let j = 1; j < i; j++) {
        unchecked((hh[i + j] = bh ^ hh[j]));
        unchecked((hl[i + j] = bl ^ hl[j]));
      }
    }
  }

  reset(): void {
    this.zh = 0;
    this.zl = 0;
  }

  /** Z = (Z xor block) * H for one 16-byte block at p. */
  block(p: usize): void {
    const xh = this.zh ^ bswap<u64>(load<u64>(p));
    const xl = this.zl ^ bswap<u64>(load<u64>(p, 8));
    const hh = changetype<usize>(this.hh), hl = changetype<usize>(this.hl), l4 = changetype<usize>(LAST4);
    let zh: u64 = 0, zl: u64 = 0;
    // Process nibbles from the last byte to the first, low nibble before high nibble.
    for (let i = 15; i >= 0; i--) {
      const byte = <u32>((i < 8 ? xh >> <u64>((7 - i) << 3) : xl >> <u64>((15 - i) << 3)) & 0xff);
      const lo = <usize>(byte & 15), hi = <usize>(byte >> 4);
      if (i != 15) {
        const rem = <usize>(zl & 15);
        zl = (zh << 60) | (zl >> 4);
        zh = (zh >> 4) ^ (load<u64>(l4 + (rem << 3)) << 48);
      }
      zh ^= load<u64>(hh + (lo << 3));
      zl ^= load<u64>(hl + (lo << 3));
      const rem2 = <usize>(zl & 15);
      zl = (zh << 60) | (zl >> 4);
      zh = (zh >> 4) ^ (load<u64>(l4 + (rem2 << 3)) << 48);
      zh ^= load<u64>(hh + (hi << 3));
      zl ^= load<u64>(hl + (hi << 3));
    }
    this.zh = zh;
    this.zl = zl;
  }

  /** Absorbs data zero-padded to a block boundary. */
  update(p: usize, len: usize, pad: usize): void {
    while (len >= 16) {
      this.block(p);
      p += 16;
      len -= 16;
    }
    if (len > 0) {
      memory.fill(pad, 0, 16);
      memory.copy(pad, p, len);
      this.block(pad);
    }
  }
}

export class AesGcmKeyResult {
  constructor(public ok: bool, public key: AesGcm | null, public reason: string) {}
}

export class AesGcm {
  private aes: Aes;
  private ghash: Ghash;
  private j0: StaticArray<u8> = new StaticArray<u8>(16);
  private ctr: StaticArray<u8> = new StaticArray<u8>(16);
  private ks: StaticArray<u8> = new StaticArray<u8>(16);
  private pad: StaticArray<u8> = new StaticArray<u8>(16);

  private constructor(key: Uint8Array) {
    const aes = new Aes(key);
    const h = new Uint8Array(16);
    aes.encryptBlock(h.dataStart, h.dataStart);
    this.aes = aes;
    this.ghash = new Ghash(h);
  }

  /** 16-, 24- or 32-byte key (AES-128/192/256; JWE A256GCM uses 32). */
  static create(key: Uint8Array): AesGcmKeyResult {
    const n = key.length;
    if (n != 16 && n != 24 && n != 32) return new AesGcmKeyResult(false, null, 'aes-gcm: key must be 16, 24 or 32 bytes');
    return new AesGcmKeyResult(true, new AesGcm(key), '');
  }

  private setupIv(iv: Uint8Array): void {
    const j0 = changetype<usize>(this.j0);
    if (iv.length == 12) {
      memory.copy(j0, iv.dataStart, 12);
      store<u32>(j0, bswap<u32>(1), 12);
    } else {
      // J0 = GHASH(IV || 0-pad || [0]_64 || [len(IV) in bits]_64)
      const g = this.ghash;
      const pad = changetype<usize>(this.pad);
      g.reset();
      g.update(iv.dataStart, <usize>iv.length, pad);
      memory.fill(pad, 0, 16);
      store<u64>(pad, bswap<u64>(<u64>iv.length << 3), 8);
      g.block(pad);
      store<u64>(j0, bswap<u64>(g.zh));
      store<u64>(j0, bswap<u64>(g.zl), 8);
    }
  }

  /** XORs the CTR keystream starting at inc32(J0) into out[0..len) from src. */
  private ctrXor(out: usize, src: usize, len: usize): void {
    const ctr = changetype<usize>(this.ctr), ks = changetype<usize>(this.ks);
    memory.copy(ctr, changetype<usize>(this.j0), 16);
    let counter = bswap<u32>(load<u32>(ctr, 12));
    let off: usize = 0;
    while (off < len) {
      counter++;
      store<u32>(ctr, bswap<u32>(counter), 12);
      this.aes.encryptBlock(ks, ctr);
      const n = min<usize>(16, len - off);
      if (n == 16) {
        store<u64>(out + off, load<u64>(src + off) ^ load<u64>(ks));
        store<u64>(out + off, load<u64>(src + off, 8) ^ load<u64>(ks, 8), 8);
      } else {
        for (let i: usize = 0; i < n; i++) store<u8>(out + off + i, load<u8>(src + off + i) ^ load<u8>(ks + i));
      }
      off += n;
    }
  }

  private tag(out: usize, aad: Uint8Array, ct: usize, ctLen: usize): void {
    const g = this.ghash;
    const pad = changetype<usize>(this.pad);
    g.reset();
    g.update(aad.dataStart, <usize>aad.length, pad);
    g.update(ct, ctLen, pad);
    store<u64>(pad, bswap<u64>(<u64>aad.length << 3));
    store<u64>(pad, bswap<u64>(<u64>ctLen << 3), 8);
    g.block(pad);
    const ks = changetype<usize>(this.ks);
    this.aes.encryptBlock(ks, changetype<usize>(this.j0));
    store<u64>(out, bswap<u64>(g.zh) ^ load<u64>(ks));
    store<u64>(out, bswap<u64>(g.zl) ^ load<u64>(ks, 8), 8);
  }

  private checkIv(iv: Uint8Array): string {
    if (iv.length == 0) return 'aes-gcm: empty IV';
    if (iv.length > GCM_MAX_IV_BYTES) return 'aes-gcm: IV too long';
    return '';
  }

  /** Returns ciphertext || 16-byte tag. */
  seal(iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): BytesResult {
    const bad = this.checkIv(iv);
    if (bad.length > 0) return BytesResult.fail(bad);
    // One CTR stream covers at most 2^32 - 2 blocks.
    if (<u64>plaintext.length > 0xfffffffe * 16) return BytesResult.fail('aes-gcm: plaintext too long');
    this.setupIv(iv);
    const n = plaintext.length;
    const out = new Uint8Array(n + GCM_TAG_BYTES);
    this.ctrXor(out.dataStart, plaintext.dataStart, <usize>n);
    this.tag(out.dataStart + <usize>n, aad, out.dataStart, <usize>n);
    return BytesResult.of(out);
  }

  /** Takes ciphertext || tag; returns the plaintext only if the tag verifies. */
  open(iv: Uint8Array, aad: Uint8Array, sealed: Uint8Array): BytesResult {
    const bad = this.checkIv(iv);
    if (bad.length > 0) return BytesResult.fail(bad);
    if (sealed.length < GCM_TAG_BYTES) return BytesResult.fail('aes-gcm: input shorter than the tag');
    this.setupIv(iv);
    const n = sealed.length - GCM_TAG_BYTES;
    const expected = new Uint8Array(GCM_TAG_BYTES);
    this.tag(expected.dataStart, aad, sealed.dataStart, <usize>n);
    let diff: u32 = 0;
    for (let i = 0; i < GCM_TAG_BYTES; i++) diff |= <u32>(unchecked(expected[i]) ^ unchecked(sealed[n + i]));
    if (diff != 0) return BytesResult.fail('aes-gcm: authentication tag mismatch');
    const out = new Uint8Array(n);
    this.ctrXor(out.dataStart, sealed.dataStart, <usize>n);
    return BytesResult.of(out);
  }
}
