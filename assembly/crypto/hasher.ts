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
