// Short byte results (transformation outputs, names and values parsed from a body) copied into a shared
// chunk and handed out as views of it: one allocation (the view) instead of two (view and buffer) for the
// thousands of short values a request makes. The collector frees a chunk with its last view; results
// longer than MAX_IN_CHUNK get a buffer of their own, so a long-lived short value pins at most one chunk.
const CHUNK: i32 = 8192;
const MAX_IN_CHUNK: i32 = 512;
// Made on first use: nothing is allocated while the module starts (the CRS load sits near a doubling of
// linear memory, and a start-time block moved it past one).
let chunk: ArrayBuffer | null = null;
let used: i32 = CHUNK;

/** A new array holding the `n` (> 0) bytes at `ptr`. Never written to afterwards by its users. */
export function copyBytes(ptr: usize, n: i32): Uint8Array {
  if (n > MAX_IN_CHUNK) {
    const out = new Uint8Array(n);
    memory.copy(out.dataStart, ptr, <usize>n);
    return out;
  }
  let c = chunk;
  if (c === null || used + n > CHUNK) {
    c = new ArrayBuffer(CHUNK);
    chunk = c;
    used = 0;
  }
  const at = used;
  memory.copy(changetype<usize>(c) + <usize>at, ptr, <usize>n);
  used = at + n;
  return Uint8Array.wrap(c, at, n);
}
