// Read-only view of the bytes being checked, with the bounds-checked reads and searches the tokenizers
// need. Reads outside the input give 0 instead of trapping, so no input can crash the detectors.

export class Input {
  ptr: usize = 0;
  len: i32 = 0;

  set(ptr: usize, len: i32): void {
    this.ptr = ptr;
    this.len = len;
  }

  at(i: i32): u8 {
    return <u32>i < <u32>this.len ? load<u8>(this.ptr + <usize>i) : 0;
  }

  /** Address of byte i (for copies into token buffers; the caller keeps i within the input). */
  addr(i: i32): usize {
    return this.ptr + <usize>i;
  }

  /** First index >= from holding c, or -1. */
  indexOfByte(c: u8, from: i32): i32 {
    if (from < 0) from = 0;
    for (let i = from; i < this.len; i++) if (load<u8>(this.ptr + <usize>i) == c) return i;
    return -1;
  }

  /** First index >= from where bytes a, b follow each other, or -1. */
  indexOfPair(a: u8, b: u8, from: i32): i32 {
    if (from < 0) from = 0;
    for (let i = from; i + 1 < this.len; i++) {
      if (load<u8>(this.ptr + <usize>i) == a && load<u8>(this.ptr + <usize>(i + 1)) == b) return i;
    }
    return -1;
  }

  /** First index >= from where the input's own bytes [start, start+n) occur again, or -1. */
  indexOfRange(start: i32, n: i32, from: i32): i32 {
    if (from < 0) from = 0;
    if (n <= 0) return from <= this.len ? from : -1;
    const first = this.at(start);
    for (let i = from; i + n <= this.len; i++) {
      if (load<u8>(this.ptr + <usize>i) != first) continue;
      let k = 1;
      while (k < n && load<u8>(this.ptr + <usize>(i + k)) == load<u8>(this.ptr + <usize>(start + k))) k++;
      if (k == n) return i;
    }
    return -1;
  }

  /** Does the input contain the ASCII text `needle` (case-sensitive)? */
  contains(needle: string): bool {
    const n = needle.length;
    const first = <u8>needle.charCodeAt(0);
    for (let i = 0; i + n <= this.len; i++) {
      if (load<u8>(this.ptr + <usize>i) != first) continue;
      let k = 1;
      while (k < n && <i32>load<u8>(this.ptr + <usize>(i + k)) == needle.charCodeAt(k)) k++;
      if (k == n) return true;
    }
    return false;
  }
}
