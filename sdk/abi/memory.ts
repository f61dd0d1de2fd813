// Guest memory the host writes into: the `malloc` export, out-parameter slots, and the list of
// host-allocated blocks that the SDK frees when the current callback returns.
//
// Host blocks are raw TLSF memory (heap.alloc), never GC objects, so a GC step cannot free or
// reuse them while the host or a plugin still looks at them.

/** Called by the host, re-entrantly, to hand bytes to the guest. 0 = failure (host reports InvalidMemoryAccess). */
export function malloc(size: usize): usize {
  // TLSF traps on requests above its block limit; a failure value is what the host expects.
  if (size == 0 || size > 0x3FFF_0000) return 0;
  return heap.alloc(size);
}

// Out-parameter slots: [0] pointer / value, [4] length / second value, [8] u64 or third value.
export const RET0: usize = memory.data(16, 8);
export const RET1: usize = RET0 + 4;
export const RET2: usize = RET0 + 8;

@inline export function ret0(): u32 { return load<u32>(RET0); }
@inline export function ret1(): u32 { return load<u32>(RET1); }
@inline export function retU64(): u64 { return load<u64>(RET2); }

/** Zeroes the pointer/length slots so a host that writes nothing leaves an empty result. */
@inline export function clearRet(): void {
  store<u64>(RET0, 0);
  store<u64>(RET2, 0);
}

// Blocks handed out as views (BytesView) during this callback; freed by releaseHostBlocks().
let pending: usize = 0; // raw array of usize
let pendingCount: i32 = 0;
let pendingCap: i32 = 0;

/** Keeps a host block alive until the current callback returns. */
export function keepUntilCallbackEnd(ptr: usize): void {
  if (ptr == 0) return;
  if (pendingCount == pendingCap) {
    const cap = pendingCap == 0 ? 16 : pendingCap << 1;
    const bytes = <usize>cap << alignof<usize>();
    pending = pending == 0 ? heap.alloc(bytes) : heap.realloc(pending, bytes);
    pendingCap = cap;
  }
  store<usize>(pending + (<usize>pendingCount << alignof<usize>()), ptr);
  pendingCount++;
}

/** Frees every block kept for this callback. Called by the dispatcher as each callback returns. */
@inline export function releaseHostBlocks(): void {
  if (pendingCount != 0) releaseAll();
}

function releaseAll(): void {
  for (let i = 0; i < pendingCount; i++) heap.free(load<usize>(pending + (<usize>i << alignof<usize>())));
  pendingCount = 0;
}

/** Frees one host block now (after its bytes were copied out). */
@inline export function freeHostBlock(ptr: usize): void {
  if (ptr != 0) heap.free(ptr);
}
