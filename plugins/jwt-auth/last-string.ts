// Header bytes as a string, reusing the previous result when the bytes repeat (a request's method,
// authority or path is often the previous request's): such a request allocates nothing for it, so the
// SDK has no garbage to collect after it.
import { bytesEqual } from "./bytes-equal";

export class LastString {
  private bytes: ArrayBuffer = new ArrayBuffer(0);
  private str: string = "";

  /** `lower`: ASCII-lower-case the string (the bytes compared are the original ones). */
  constructor(private lower: bool = false) {}

  of(ptr: usize, len: i32): string {
    if (this.bytes.byteLength == len && bytesEqual(changetype<usize>(this.bytes), ptr, len)) return this.str;
    const b = new ArrayBuffer(len);
    memory.copy(changetype<usize>(b), ptr, <usize>len);
    const s = String.UTF8.decodeUnsafe(ptr, <usize>len);
    this.bytes = b;
    this.str = this.lower ? s.toLowerCase() : s;
    return this.str;
  }
}
