// The `service` argument of proxy_grpc_call/stream: Envoy first tries to parse it as a serialized
// envoy.config.core.v3.GrpcService and only when that fails treats it as a cluster name. This reads just
// enough protobuf wire format to make the same decision and to find envoy_grpc.cluster_name/authority.

export type ServiceRef =
  | { kind: 'cluster'; name: string }
  | { kind: 'proto'; cluster: string | null; authority: string | null };

interface Field { num: number; wire: number; bytes?: Uint8Array }

/** Fields of a protobuf message, or null if the bytes are not valid wire format. */
function fields(b: Uint8Array): Field[] | null {
  const out: Field[] = [];
  let at = 0;
  const varint = (): number | null => {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (at >= b.length) return null;
      const x = b[at++]!;
      v += (x & 0x7f) * mul;
      mul *= 128;
      if ((x & 0x80) === 0) return v;
    }
    return null;
  };
  while (at < b.length) {
    const key = varint();
    if (key === null) return null;
    const num = Math.floor(key / 8);
    const wire = key % 8;
    if (num === 0) return null;
    if (wire === 0) { if (varint() === null) return null; out.push({ num, wire }); }
    else if (wire === 1) { at += 8; if (at > b.length) return null; out.push({ num, wire }); }
    else if (wire === 5) { at += 4; if (at > b.length) return null; out.push({ num, wire }); }
    else if (wire === 2) {
      const len = varint();
      if (len === null || at + len > b.length) return null;
      out.push({ num, wire, bytes: b.subarray(at, at + len) });
      at += len;
    } else return null; // groups (3, 4) and 6, 7: not something a GrpcService holds
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(b: Uint8Array | undefined): string | null {
  if (!b) return null;
  try { return utf8.decode(b); } catch { return null; }
}

export function parseServiceRef(service: Uint8Array): ServiceRef {
  const top = fields(service);
  if (top === null) return { kind: 'cluster', name: new TextDecoder().decode(service) };
  let cluster: string | null = null;
  let authority: string | null = null;
  for (const f of top) {
    if (f.num !== 1 || f.wire !== 2) continue; // envoy_grpc
    const inner = fields(f.bytes!);
    if (inner === null) return { kind: 'cluster', name: new TextDecoder().decode(service) };
    for (const g of inner) {
      if (g.wire !== 2) continue;
      if (g.num === 1) cluster = text(g.bytes);
      if (g.num === 2) authority = text(g.bytes);
    }
  }
  return { kind: 'proto', cluster, authority };
}
