// Outcomes for request-header and cookie values met in earlier requests. A client sends the same
// User-Agent, Accept, Accept-Language, Accept-Encoding and cookies on request after request, and what a
// rule group or a rule's operator makes of a value (after their fixed pipeline) depends on the value's
// bytes alone. So outcomes are remembered per (ruleset, subject, raw value) in a fixed table of copies
// checked byte for byte: a repeated header costs a hash and a comparison instead of its transformations,
// the literal filter and the regexes. Subjects: a group (which members' regexes match the value) or a
// rule whose operator has no macro (only "no match" is kept: a match runs in full, for its actions).
// Arguments and bodies, which seldom repeat, are not kept.
import { Bytes } from "../../assembly/seclang/types";

const SLOTS: i32 = 4096;
/** Longer values are evaluated every time (and keep the table small: at most SLOTS × MAX_LEN bytes). */
export const MAX_LEN: i32 = 256;

/**
 * Per slot, side by side (one cache line per probe): the owner, the hash (high half) and outcome, and the
 * kept copy's data address and length. `values` holds the copies themselves, for the collector.
 */
const META: i32 = 4;
const meta = new StaticArray<i64>(SLOTS * META);
const values = new StaticArray<Bytes | null>(SLOTS);

const MAX_RULESET_ID: i32 = 0x7fffffff;
/** Subjects: a group's index, or RULE_SUBJECT + a rule's sequence number. */
export const RULE_SUBJECT: i32 = 1 << 24;
let lastRulesetId: i32 = 0;

/** A ruleset id no entry of the table belongs to (the table is emptied when ids wrap around). */
export function newRulesetId(): i32 {
  if (lastRulesetId == MAX_RULESET_ID) {
    for (let s = 0; s < SLOTS; s++) {
      unchecked((meta[s * META] = 0));
      unchecked((values[s] = null));
    }
    lastRulesetId = 0;
  }
  return ++lastRulesetId;
}

// A value is looked up for many subjects in a row: its bytes are hashed once, remembered by identity
// (the entry holds the value, so no other object can take its address while it is there).
const HASHED: i32 = 64;
const hashedValues = new StaticArray<Bytes | null>(HASHED);
const hashedHashes = new StaticArray<u32>(HASHED);

function valueHash(v: Bytes): u32 {
  const s = <i32>((changetype<usize>(v) >>> 4) & <usize>(HASHED - 1));
  if (unchecked(hashedValues[s]) === v) return unchecked(hashedHashes[s]);
  // FNV-1a; header values are short.
  let h: u32 = 0x811c9dc5;
  const p = v.dataStart;
  const n = v.length;
  for (let i = 0; i < n; i++) h = (h ^ <u32>load<u8>(p + <usize>i)) * 0x01000193;
  unchecked((hashedValues[s] = v));
  unchecked((hashedHashes[s] = h));
  return h;
}

@inline
function slotHash(vh: u32, rulesetId: i32, subject: i32): u32 {
  let h = vh ^ (<u32>subject * 0x9e3779b1) ^ (<u32>rulesetId * 0x85ebca6b);
  h ^= h >>> 15;
  h *= 0x2c1b3c6d;
  return h ^ (h >>> 12);
}

@inline
function ownerOf(rulesetId: i32, subject: i32): i64 {
  return (<i64>rulesetId << 32) | <i64>(subject + 1);
}

/** The remembered outcome of `subject` for `value`, or -1. */
export function seenOutcome(rulesetId: i32, subject: i32, value: Bytes): i64 {
  const n = value.length;
  if (n > MAX_LEN) return -1;
  const h = slotHash(valueHash(value), rulesetId, subject);
  const s = <i32>(h & <u32>(SLOTS - 1));
  const m = s * META;
  if (unchecked(meta[m]) != ownerOf(rulesetId, subject)) return -1;
  const hv = unchecked(meta[m + 1]);
  if (<u32>(hv >>> 32) != h || <i32>unchecked(meta[m + 3]) != n) return -1;
  if (memory.compare(<usize>unchecked(meta[m + 2]), value.dataStart, <usize>n) != 0) return -1;
  return hv & 0xffffffff;
}

/** Remembers `outcome` of `subject` for `value` (a copy), replacing whatever held the slot. */
export function rememberOutcome(rulesetId: i32, subject: i32, value: Bytes, outcome: u32): void {
  const n = value.length;
  if (n > MAX_LEN) return;
  const h = slotHash(valueHash(value), rulesetId, subject);
  const s = <i32>(h & <u32>(SLOTS - 1));
  let kept = unchecked(values[s]);
  // Reuse the slot's copy when it has the same length (the usual replacement: a header's next value).
  if (kept === null || kept.length != n) {
    kept = new Uint8Array(n);
    unchecked((values[s] = kept));
  }
  memory.copy(kept.dataStart, value.dataStart, <usize>n);
  const m = s * META;
  unchecked((meta[m] = ownerOf(rulesetId, subject)));
  unchecked((meta[m + 1] = (<i64>h << 32) | <i64>outcome));
  unchecked((meta[m + 2] = <i64>kept.dataStart));
  unchecked((meta[m + 3] = <i64>n));
}
