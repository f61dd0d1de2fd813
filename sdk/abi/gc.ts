// When garbage is collected. meshplug builds with AssemblyScript's `minimal` runtime: TLSF plus a
// non-incremental mark & sweep that runs only when asked. Without write barriers and a shadow stack
// the module is about 40% smaller and faster than with `incremental`, and collecting is safe whenever
// no AssemblyScript frame is live - i.e. as a host callback returns. The dispatcher asks here after
// configuration and after streams end: every 64th time, or at once if linear memory grew since the
// last collection, so garbage stays bounded by a few requests' worth and memory stays flat.
// (With the `stub` runtime __collect does nothing; with `incremental` it forces a full cycle.)

const EVERY: u32 = 64;
let since: u32 = 0;
let pagesAtLast: i32 = 0;

export function collectSometimes(): void {
  if (++since >= EVERY || memory.size() != pagesAtLast) collectNow();
}

export function collectNow(): void {
  __collect();
  since = 0;
  pagesAtLast = memory.size();
}
