// When garbage is collected. meshplug builds with AssemblyScript's `minimal` runtime: TLSF plus a
// non-incremental mark & sweep (tcms) that runs only when asked. Without write barriers and a shadow stack
// the module is about 40% smaller and faster than with `incremental`, and collecting is safe whenever
// no AssemblyScript frame is live - i.e. as a host callback returns. The dispatcher asks here after
// configuration (always) and after streams end: every EVERY-th time, or at once if linear memory grew
// since the last collection, so garbage stays bounded by a few requests' worth and memory stays flat.
//
// A collection costs time in proportion to the live heap, so it is skipped when nothing was allocated
// since the last one: a plugin that allocates nothing per request never pays for it. tcms links every
// new object at the tail of its `fromSpace` list, so "nothing allocated" is "the tail is still the empty
// marker object we allocated right after the last collection" - two loads, no allocator hook. (A
// collection we did not run flips the lists: the tail check then fails and we collect, which resyncs.)
// With the `stub` or `incremental` runtime the marker is not used.

const EVERY: u32 = 64;
// tcms object header, before the payload: TLSF block info, nextWithColor, prev, rtId, rtSize.
const HEADER: usize = 20;
const NEXT: usize = 4;
const PREV: usize = 8;

let since: u32 = 0;
let pagesAtLast: i32 = -1; // -1: the first call collects (and places the marker)
let head: usize = 0; // the fromSpace list head (a static object of the runtime)
let mark: usize = 0; // header of the marker allocated after the last collection

export function collectSometimes(): void {
  if (memory.size() != pagesAtLast) { collectNow(); return; }
  if (++since < EVERY) return;
  if (ASC_RUNTIME == 1 && load<usize>(head + PREV) == mark) return; // nothing new since the last collection
  collectNow();
}

export function collectNow(): void {
  __collect();
  since = 0;
  if (ASC_RUNTIME == 1) {
    // A fresh empty object is the tail of fromSpace: its `next` is the list head (garbage at the next collection).
    mark = __new(0, idof<ArrayBuffer>()) - HEADER;
    head = load<usize>(mark + NEXT) & ~3;
  }
  pagesAtLast = memory.size();
}
