// The parsed form of a pattern: a small tree the compiler turns into a program.
import { CharClass } from './charclass';

export enum Kind {
  Empty,
  Class,
  Concat,
  Alternate,
  Repeat,
  Capture,
  Assert,
}

/** Empty-width assertions, as bits so a set of them can be tested at once. */
export namespace Assertion {
  export const BEGIN_LINE: i32 = 1;
  export const END_LINE: i32 = 2;
  export const BEGIN_TEXT: i32 = 4;
  export const END_TEXT: i32 = 8;
  export const WORD_BOUNDARY: i32 = 16;
  export const NOT_WORD_BOUNDARY: i32 = 32;
}

/** Shared by all leaf nodes so they cost one allocation (parents assign new arrays). */
const NO_SUBS = new StaticArray<Node>(0);

/** x as the one child of a node (Repeat, Capture). */
export function only(x: Node): StaticArray<Node> {
  const a = new StaticArray<Node>(1);
  unchecked((a[0] = x));
  return a;
}

export class Node {
  /** Children, exactly as many as there are: a StaticArray is one allocation where an Array is two. */
  subs: StaticArray<Node> = NO_SUBS;
  cls: CharClass | null = null;
  min: i32 = 0;
  /** -1 means unbounded. */
  max: i32 = 0;
  greedy: bool = true;
  /** Capture group number (1-based) for Kind.Capture. */
  cap: i32 = 0;
  /** One Assertion bit for Kind.Assert. */
  assert: i32 = 0;

  constructor(public kind: Kind) {}

  static ofClass(cc: CharClass): Node {
    const n = new Node(Kind.Class);
    n.cls = cc;
    return n;
  }

  static ofAssert(bit: i32): Node {
    const n = new Node(Kind.Assert);
    n.assert = bit;
    return n;
  }
}
