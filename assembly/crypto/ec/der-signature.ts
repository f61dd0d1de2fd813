// Strict DER parsing of ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } into fixed-width
// big-endian r and s. BER leniencies (long-form short lengths, extra leading zeros, negative
// numbers, trailing bytes) are all rejected: they are how signature malleability creeps in.

export class DerSignature {
  constructor(public ok: bool, public r: Uint8Array, public s: Uint8Array, public reason: string) {}
}

function fail(reason: string): DerSignature {
  return new DerSignature(false, new Uint8Array(0), new Uint8Array(0), reason);
}

/** Reads a DER length at `pos` (short form only: every ECDSA signature we accept is < 128 bytes). */
function shortLength(der: Uint8Array, pos: i32): i32 {
  if (pos >= der.length) return -1;
  const b = <i32>unchecked(der[pos]);
  return b < 0x80 ? b : -1;
}

/** Parses one INTEGER at `pos` into `out` (width bytes); returns the position after it or -1. */
function integer(der: Uint8Array, pos: i32, end: i32, out: Uint8Array): i32 {
  if (pos + 2 > end || unchecked(der[pos]) != 0x02) return -1;
  const len = shortLength(der, pos + 1);
  const start = pos + 2;
  if (len <= 0 || start + len > end) return -1;
  const first = <i32>unchecked(der[start]);
  if (first & 0x80) return -1; // negative
  let from = start;
  if (first == 0) {
    // A leading zero is allowed only to keep a high bit from reading as a sign bit.
    if (len == 1) return start + 1; // the value 0 (range check rejects it later)
    if ((<i32>unchecked(der[start + 1]) & 0x80) == 0) return -1;
    from = start + 1;
  }
  const n = start + len - from;
  if (n > out.length) return -1;
  memory.copy(out.dataStart + <usize>(out.length - n), der.dataStart + <usize>from, <usize>n);
  return start + len;
}

export function parseDerSignature(der: Uint8Array, width: i32): DerSignature {
  if (der.length < 8) return fail('ecdsa: DER signature too short');
  if (unchecked(der[0]) != 0x30) return fail('ecdsa: DER signature is not a SEQUENCE');
  const len = shortLength(der, 1);
  if (len < 0) return fail('ecdsa: DER length is not minimal short form');
  if (len + 2 != der.length) return fail('ecdsa: DER length does not match the signature size');
  const r = new Uint8Array(width);
  const s = new Uint8Array(width);
  const afterR = integer(der, 2, der.length, r);
  if (afterR < 0) return fail('ecdsa: malformed DER INTEGER r');
  const afterS = integer(der, afterR, der.length, s);
  if (afterS < 0) return fail('ecdsa: malformed DER INTEGER s');
  if (afterS != der.length) return fail('ecdsa: trailing bytes after DER signature');
  return new DerSignature(true, r, s, '');
}
