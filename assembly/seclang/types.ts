// Shared types of the SecLang (ModSecurity/Coraza rule language) pieces: the engine in plugins/waf,
// and the operators, transformations, body processors and libinjection in assembly/seclang.
// WAF values are byte strings, not text: attacks carry invalid UTF-8 and NUL bytes on purpose.

export type Bytes = Uint8Array;

/** One collection member, e.g. an argument: name and value as bytes. */
export class Pair {
  constructor(public name: Bytes, public value: Bytes) {}
}

/** An ordered list of pairs (order matters for MATCHED_VAR and the audit log). */
export class PairList {
  items: Array<Pair> = new Array<Pair>();
  add(name: Bytes, value: Bytes): void { this.items.push(new Pair(name, value)); }
  get length(): i32 { return this.items.length; }
  at(i: i32): Pair { return this.items[i]; }
  clear(): void { this.items.length = 0; }
  /**
   * Appends (name, value) reusing the Pair that `pool` holds for this position (made and kept there the
   * first time). For scratch lists that are cleared and refilled whose Pairs nobody keeps: no allocation
   * once the pool is warm. The pool must serve this list only.
   */
  addRecycled(pool: Array<Pair>, name: Bytes, value: Bytes): void {
    const k = this.items.length;
    let p: Pair;
    if (k < pool.length) {
      p = unchecked(pool[k]);
      p.name = name;
      p.value = value;
    } else {
      p = new Pair(name, value);
      pool.push(p);
    }
    this.items.push(p);
  }
}

/** Capture slots TX.0 .. TX.9 filled by operators when the rule has the `capture` action. */
export class Captures {
  slots: Array<Bytes | null> = [null, null, null, null, null, null, null, null, null, null];
  set(i: i32, v: Bytes): void { if (i >= 0 && i < 10) this.slots[i] = v; }
  get(i: i32): Bytes | null { return i >= 0 && i < 10 ? this.slots[i] : null; }
  clear(): void { for (let i = 0; i < 10; i++) this.slots[i] = null; }
}

/** The files `@pmFromFile` / `@ipMatchFromFile` may read (the embedded CRS `.data` files, or user ones). */
export abstract class DataFiles {
  /** The file's content, or null when there is no such file. */
  abstract get(name: string): string | null;
}

/** A compiled operator. */
export abstract class Operator {
  /**
   * Does `value` match? `expanded` is the operator's parameter after macro expansion (`%{tx.foo}`), given
   * only when the parameter contained macros (see `needsExpansion`); otherwise it is null and the parameter
   * compiled at configure time is used. `caps` is non-null when the rule has `capture`.
   */
  abstract matches(value: Bytes, expanded: string | null, caps: Captures | null): bool;
}

/** An operator, or the reason it could not be compiled (shown with the rule's file and line). */
export class OperatorResult {
  constructor(public op: Operator | null, public error: string) {}
  static ok(op: Operator): OperatorResult { return new OperatorResult(op, ""); }
  static fail(error: string): OperatorResult { return new OperatorResult(null, error); }
}

/** True when a parameter contains a macro, so the engine must expand it per evaluation. */
export function needsExpansion(param: string): bool { return param.includes("%{"); }

/** Text to bytes (UTF-8) and bytes to text (each byte kept: Latin-1), the two conversions the engine needs. */
export function utf8(s: string): Bytes { return Uint8Array.wrap(String.UTF8.encode(s)); }
export function latin1(b: Bytes): string {
  let out = "";
  for (let i = 0; i < b.length; i++) out += String.fromCharCode(b[i]);
  return out;
}
