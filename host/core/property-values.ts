// Envoy's property value encodings (fact sheet §7.2): strings raw, ints 8-byte little-endian, bools one
// byte, timestamps/durations int64 nanoseconds, maps in the pairs format, messages as protobuf binary.
import { encodePairs } from './pairs.ts';
import { encodeUtf8, encodeUtf8Shared } from './text.ts';

export const str = (s: string): Uint8Array => encodeUtf8(s);
/** `str` memoized, for values that repeat request after request (addresses, protocol): read-only bytes,
 *  which proxy_get_property only copies into guest memory. Not for per-request values (ids, paths). */
export const strShared = (s: string): Uint8Array => encodeUtf8Shared(s);

export function int64(v: bigint | number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt(v), true);
  return out;
}

export function uint64(v: bigint | number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
  return out;
}

export const bool = (v: boolean): Uint8Array => Uint8Array.of(v ? 1 : 0);

export function stringMap(entries: [string, string][]): Uint8Array {
  return encodePairs(entries);
}

// ---- a minimal protobuf writer for the few messages properties return (envoy.config.core.v3.Node) ----
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) { out.push((n & 0x7f) | 0x80); n >>>= 7; }
  out.push(n);
  return out;
}

function lengthDelimited(field: number, payload: Uint8Array): number[] {
  return [...varint((field << 3) | 2), ...varint(payload.length), ...payload];
}

/** google.protobuf.Struct with string values only (node metadata as configured here). */
export function protoStruct(fields: Record<string, string>): Uint8Array {
  const bytes: number[] = [];
  for (const [k, v] of Object.entries(fields)) {
    const value = Uint8Array.from(lengthDelimited(3, encodeUtf8(v))); // Value.string_value = 3
    const entry = Uint8Array.from([...lengthDelimited(1, encodeUtf8(k)), ...lengthDelimited(2, value)]);
    bytes.push(...lengthDelimited(1, entry)); // Struct.fields = 1 (map entry)
  }
  return Uint8Array.from(bytes);
}

/** envoy.config.core.v3.Node: id = 1, cluster = 2, metadata = 3. */
export function protoNode(id: string, cluster: string, metadata: Record<string, string>): Uint8Array {
  const bytes: number[] = [];
  if (id) bytes.push(...lengthDelimited(1, encodeUtf8(id)));
  if (cluster) bytes.push(...lengthDelimited(2, encodeUtf8(cluster)));
  if (Object.keys(metadata).length) bytes.push(...lengthDelimited(3, protoStruct(metadata)));
  return Uint8Array.from(bytes);
}
