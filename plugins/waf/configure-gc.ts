// Garbage collection while onConfigure runs. The minimal runtime's __collect marks from globals and pinned
// objects only, never from locals, and the SDK collects only after the callback returns: by then compiling
// the CRS has left tens of MiB of garbage, and TLSF grows linear memory by doubling it, never giving it
// back. So configuration keeps every object it still needs on `kept` (a global root) and collects between
// directives; anything not kept there or reachable from a global must not be held across `collectIfDue`.

const kept: Object[] = [];
/** > 0 while loadConfig runs with its state kept (a Compiler used elsewhere never collects). */
let depth: i32 = 0;
let pending: i32 = 0;
let pagesAtLast: i32 = 0;

/** Directive characters compiled between collections. Each collection marks every live rule again, so
 * they are kept few; the collection after each growth of memory bounds the garbage between them. Since the
 * regex parser stopped reallocating per concatenation (a third less garbage per pattern), 512K (the CRS
 * at PL4 is ~730K characters) still loads it in 13 MiB, as 192K did, with ~7% less CPU per load. */
const BUDGET: i32 = 512 * 1024;

/** Roots `x` until `release` to a mark taken before it. */
export function keep<T>(x: T): T {
  if (changetype<usize>(x) != 0) kept.push(changetype<Object>(x));
  return x;
}

export function mark(): i32 { return kept.length; }

export function release(m: i32): void { kept.length = m; }

export function beginCollecting(): void {
  depth++;
  pending = 0;
  pagesAtLast = memory.size();
}

export function endCollecting(): void { depth--; }

/** Called before each directive (of `weight` characters): every object still needed is kept or reachable
 * from a global here. Also collects at once when memory grew, so the next doubling is put off. */
export function collectIfDue(weight: i32): void {
  if (depth <= 0) return;
  pending += weight;
  if (pending < BUDGET && memory.size() == pagesAtLast) return;
  __collect();
  pending = 0;
  pagesAtLast = memory.size();
}

/** Collects at once (while configuring), before work that leaves much garbage of its own: the directives
 * compiled since the last collection have left up to a budget's worth, and both together would grow memory. */
export function collectNow(): void {
  if (depth <= 0) return;
  __collect();
  pending = 0;
  pagesAtLast = memory.size();
}
