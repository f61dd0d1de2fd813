// When garbage is collected. meshplug builds with AssemblyScript's `minimal` runtime: TLSF plus a
// non-incremental mark & sweep (tcms) that runs only when asked. Without write barriers and a shadow stack
// the module is about 40% smaller and faster than with `incremental`, and collecting is safe whenever
// no AssemblyScript frame is live - i.e. as a host callback returns. The dispatcher collects after
// configuration (collectNow) and asks after streams end, body and TCP data callbacks, ticks, queue and
// callout callbacks (collectSometimes).
//
// A collection marks the whole live heap, so it runs when the bytes allocated since the last one reach a
// budget: GROWTH times the live heap it left (Go's GOGC=300), or half the memory still free if that is
// more, at least MIN_BUDGET and at most MAX_BUDGET. Marking then costs a bounded amount per byte of
// garbage however big the live heap is, and collections follow the garbage made, not the streams counted.
// TLSF never gives memory back and doubles it when it grows: garbage that fits in half the free memory
// the module already owns costs no footprint, and the other half is slack for fragmentation and a growing
// live heap. The cap bounds memory (live + 16 MiB + slack) and keeps a module whose memory once grew large
// from filling (and making resident) all of it each cycle.
// Measured on the WAF with the CRS (7 MiB live, so the cap applies): benign GETs spent 9-12% of their CPU
// collecting every 64th stream, ~5% now (~1% of it walking, below); its bench mix (a 16 KiB JSON body
// makes 1.3 MB of garbage) costs what every-64th did, flat at 52 MiB as before. GROWTH 1 kept that mix in
// 26 MiB (jwt-auth in 4 MiB, not 8) for 5-12% more CPU; half a live heap saved nothing on the WAF.
//
// Measuring without an allocator hook: tcms links each new object at the tail of its `fromSpace` list.
// After each collection and each check we append an empty marker object: the objects after the marker are
// exactly those allocated since, so a check walks them once (cost ∝ new objects, which the allocator paid
// more for) adding up their TLSF blocks, then appends a fresh marker. "Nothing new" is "the tail is still
// our marker": two loads, so a plugin that allocates nothing never collects. The sweep reports each object
// it frees to `__finalize`, so the live heap after a collection is the one before, plus what was walked,
// minus what was freed - no walk over the live heap. After configuration (collectNow) the live heap is
// walked once instead: configuring allocates without checks, and plugins/waf collects inside onConfigure.
// Objects `__renew` resizes keep their list position and count at the size they were walked with, so the
// running live figure drifts a little (mostly low: growing is far more common); pinned objects are not counted.
// A collection run elsewhere frees our marker or empties our list: before walking, the marker must still
// look like ours and the list must not be empty, or we collect at once to resync.
// With the `stub` or `incremental` runtime none of this applies: collect every EVERY-th time.

const GROWTH: usize = 3;
const MIN_BUDGET: usize = 256 << 10;
const MAX_BUDGET: usize = 16 << 20;
const EVERY: u32 = 64; // other runtimes

// tcms object header before the payload: TLSF block info, nextWithColor, prev, rtId, rtSize.
const HEADER: usize = 20;
const INFO_TAGS: u32 = 3; // TLSF's FREE and LEFTFREE bits in the block info
const NEXT: usize = 4;
const PREV: usize = 8;
const RTID: usize = 12;
const RTSIZE: usize = 16;

let head: usize = 0; // the fromSpace list head (a static object of the runtime)
let mark: usize = 0; // header of the marker placed after the last collection or check; 0: collect first
let allocated: usize = 0; // bytes allocated since the last collection, as far as walked
let freed: usize = 0; // bytes the current sweep freed
let live: usize = 0; // bytes of heap objects that survived the last collection
let budget: usize = 0;
let since: u32 = 0; // other runtimes: calls since the last collection
let collections: u32 = 0;

/** Bytes of the TLSF block holding the object whose header is at `obj` (what tcms counts). */
@inline function blockBytes(obj: usize): usize {
  return 4 + <usize>(load<u32>(obj) & ~INFO_TAGS);
}

@inline function nextOf(obj: usize): usize {
  return load<usize>(obj + NEXT) & ~3;
}

// Called by the tcms sweep for every object it frees (its header is in cache: one add).
// @ts-ignore: decorator
@global function __finalize(ptr: usize): void {
  freed += blockBytes(ptr - HEADER);
}

export function collectSometimes(): void {
  if (ASC_RUNTIME != 1) {
    if (++since >= EVERY) collectNow();
    return;
  }
  const tail = load<usize>(head + PREV);
  if (tail == mark && mark != 0) return; // nothing allocated since the last check
  if (!markerIntact(tail)) { collectNow(); return; }
  let n = allocated + blockBytes(mark); // the old marker too: the sweep will count it as freed
  for (let o = nextOf(mark); o != head; o = nextOf(o)) n += blockBytes(o);
  if (n < budget) {
    allocated = n;
    placeMarker();
    return;
  }
  freed = 0;
  __collect();
  placeMarker();
  const before = live + n;
  restart(before > freed ? before - freed : 0);
}

/** Collects now and measures the live heap (after configuration: allocations there were not walked). */
export function collectNow(): void {
  __collect();
  if (ASC_RUNTIME != 1) {
    collections++;
    since = 0;
    return;
  }
  placeMarker();
  const h = nextOf(mark);
  let n: usize = 0;
  for (let o = nextOf(h); o != mark; o = nextOf(o)) if (o >= __heap_base) n += blockBytes(o);
  restart(n);
}

// After a collection and a fresh marker: the live heap and the next budget.
function restart(liveBytes: usize): void {
  collections++;
  head = nextOf(mark); // a fresh object's `next` is the list head
  live = liveBytes;
  allocated = 0;
  const dynamic = (<usize>memory.size() << 16) - __heap_base;
  const free = dynamic > liveBytes ? dynamic - liveBytes : 0;
  const b = max(liveBytes * GROWTH, free >> 1);
  budget = b < MIN_BUDGET ? MIN_BUDGET : b > MAX_BUDGET ? MAX_BUDGET : b;
}

/** Collections run so far (for tests and diagnostics). */
export function gcCollections(): u32 { return collections; }

/** Bytes of heap objects that survived the last collection, as tracked (for tests and diagnostics). */
export function gcLiveBytes(): usize { return live; }

function placeMarker(): void {
  mark = __new(0, idof<ArrayBuffer>()) - HEADER;
}

// The marker is still a linked, allocated, empty ArrayBuffer and the list is not empty: no foreign
// collection freed it or flipped the lists (an emptied list's tail is its head).
function markerIntact(tail: usize): bool {
  if (mark == 0 || tail == head) return false;
  return (load<u32>(mark) & 1) == 0 && load<u32>(mark + RTID) == idof<ArrayBuffer>() && load<u32>(mark + RTSIZE) == 0;
}
