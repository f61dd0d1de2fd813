// Base class of the streaming hashes; subclasses override the three raw methods.
export class Hasher {
  constructor(public blockSize: i32, public digestSize: i32) {}

  /** Back to the initial state, so one instance can hash many messages without allocating. */
  reset(): Hasher {
    return this;
  }

  updateRaw(ptr: usize, len: usize): Hasher {
    return this;
  }

  /** Writes the digest to `out` (digestSize bytes); call reset() before reusing. */
  finishRaw(out: usize): void {}

  update(data: Uint8Array): Hasher {
    return this.updateRaw(data.dataStart, <usize>data.length);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.digestSize);
    this.finishRaw(out.dataStart);
    return out;
  }
}

/**
 * The Merkle–Damgård hashes (SHA-2): buffering input into whole blocks and the final length padding, around
 * a subclass's compression function. `lengthBytes` is the size of the length field (8 for SHA-256, 16 for
 * SHA-384/512; messages here stay far below 2^64 bits, so its high half is zero).
 */
export class BlockHasher extends Hasher {
  protected buf: StaticArray<u8>;
  protected bufLen: i32 = 0;
  protected total: u64 = 0;
  private blockShift: usize;

  constructor(blockSize: i32, digestSize: i32, private lengthBytes: i32) {
    super(blockSize, digestSize);
    this.buf = new StaticArray<u8>(blockSize);
    this.blockShift = <usize>ctz<i32>(blockSize);
  }

  /** Runs the compression function over `blocks` whole blocks at `ptr`. */
  protected compressBlocks(ptr: usize, blocks: usize): void {}

  /** Writes the big-endian digest from the state to `out`. */
  protected writeDigest(out: usize): void {}

  updateRaw(ptr: usize, len: usize): Hasher {
    const size = <usize>this.blockSize;
    this.total += <u64>len;
    const buf = changetype<usize>(this.buf);
    if (this.bufLen > 0) {
      const take = min<usize>(size - <usize>this.bufLen, len);
      memory.copy(buf + <usize>this.bufLen, ptr, take);
      this.bufLen += <i32>take;
      ptr += take;
      len -= take;
      if (<usize>this.bufLen < size) return this;
      this.compressBlocks(buf, 1);
      this.bufLen = 0;
    }
    const blocks = len >> this.blockShift;
    if (blocks > 0) {
      this.compressBlocks(ptr, blocks);
      ptr += blocks << this.blockShift;
      len -= blocks << this.blockShift;
    }
    if (len > 0) {
      memory.copy(buf, ptr, len);
      this.bufLen = <i32>len;
    }
    return this;
  }

  finishRaw(out: usize): void {
    const size = this.blockSize;
    const buf = changetype<usize>(this.buf);
    let n = this.bufLen;
    store<u8>(buf + <usize>n, 0x80);
    n++;
    if (n > size - this.lengthBytes) {
      memory.fill(buf + <usize>n, 0, <usize>(size - n));
      this.compressBlocks(buf, 1);
      n = 0;
    }
    memory.fill(buf + <usize>n, 0, <usize>(size - 8 - n));
    store<u64>(buf + <usize>(size - 8), bswap<u64>(this.total << 3));
    this.compressBlocks(buf, 1);
    this.writeDigest(out);
  }
}
