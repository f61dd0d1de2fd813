// SHA-256 (FIPS 180-4) streaming wrapper; the unrolled compression function is generated.
import { Hasher } from './hasher';
import { sha256Compress } from './sha256-compress';

export class Sha256 extends Hasher {
  private h: StaticArray<u32> = new StaticArray<u32>(8);
  private buf: StaticArray<u8> = new StaticArray<u8>(64);
  private bufLen: i32 = 0;
  private total: u64 = 0;

  constructor() {
    super(64, 32);
    this.reset();
  }

  reset(): Hasher {
    const h = this.h;
    unchecked((h[0] = 0x6a09e667));
    unchecked((h[1] = 0xbb67ae85));
    unchecked((h[2] = 0x3c6ef372));
    unchecked((h[3] = 0xa54ff53a));
    unchecked((h[4] = 0x510e527f));
    unchecked((h[5] = 0x9b05688c));
    unchecked((h[6] = 0x1f83d9ab));
    unchecked((h[7] = 0x5be0cd19));
    this.bufLen = 0;
    this.total = 0;
    return this;
  }

  updateRaw(ptr: usize, len: usize): Hasher {
    this.total += <u64>len;
    const buf = changetype<usize>(this.buf);
    if (this.bufLen > 0) {
      const take = min<usize>(<usize>(64 - this.bufLen), len);
      memory.copy(buf + <usize>this.bufLen, ptr, take);
      this.bufLen += <i32>take;
      ptr += take;
      len -= take;
      if (this.bufLen < 64) return this;
      compress(this.h, buf, 1);
      this.bufLen = 0;
    }
    const blocks = len >> 6;
    if (blocks > 0) {
      compress(this.h, ptr, blocks);
      ptr += blocks << 6;
      len -= blocks << 6;
    }
    if (len > 0) {
      memory.copy(buf, ptr, len);
      this.bufLen = <i32>len;
    }
    return this;
  }

  finishRaw(out: usize): void {
    const buf = changetype<usize>(this.buf);
    const bits = this.total << 3;
    let n = this.bufLen;
    store<u8>(buf + <usize>n, 0x80);
    n++;
    if (n > 56) {
      memory.fill(buf + <usize>n, 0, <usize>(64 - n));
      compress(this.h, buf, 1);
      n = 0;
    }
    memory.fill(buf + <usize>n, 0, <usize>(56 - n));
    store<u64>(buf + 56, bswap<u64>(bits));
    compress(this.h, buf, 1);
    const h = changetype<usize>(this.h);
    for (let i: usize = 0; i < 8; i++) store<u32>(out + (i << 2), bswap<u32>(load<u32>(h + (i << 2))));
  }
}

function compress(state: StaticArray<u32>, ptr: usize, blocks: usize): void {
  sha256Compress(changetype<usize>(state), ptr, blocks);
}
