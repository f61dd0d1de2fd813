// SHA-256 (FIPS 180-4) streaming wrapper; the unrolled compression function is generated.
import { BlockHasher, Hasher } from './hasher';
import { sha256Compress } from './sha256-compress';

export class Sha256 extends BlockHasher {
  private h: StaticArray<u32> = new StaticArray<u32>(8);

  constructor() {
    super(64, 32, 8);
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

  protected compressBlocks(ptr: usize, blocks: usize): void {
    sha256Compress(changetype<usize>(this.h), ptr, blocks);
  }

  protected writeDigest(out: usize): void {
    const h = changetype<usize>(this.h);
    for (let i: usize = 0; i < 8; i++) store<u32>(out + (i << 2), bswap<u32>(load<u32>(h + (i << 2))));
  }
}
