// proxy_http_call: always owned by the root context and answered on it (fact sheet §5). gRPC: grpc.ts.
import { WasmResult } from '../abi.ts';
import { decodePairs } from '../pairs.ts';
import type { HttpCallResponse } from '../platform.ts';
import { encodeUtf8 } from '../text.ts';
import type { WasmVm } from '../vm.ts';
import { rootOf } from './context-access.ts';
import type { ImportGroup } from './index.ts';

export function callImports(vm: WasmVm): ImportGroup {
  return {
    proxy_http_call(uPtr: number, uLen: number, hPtr: number, hLen: number, bPtr: number, bLen: number, tPtr: number, tLen: number, timeoutMs: number, retId: number) {
      vm.writeU32(retId, 0);
      const ctx = vm.effective;
      if (!ctx) return WasmResult.BadArgument;
      const cluster = vm.string(uPtr, uLen);
      const url = vm.services.clusters.get(cluster);
      if (url === undefined) return WasmResult.BadArgument;
      const headers = decodePairs(vm.bytes(hPtr, hLen));
      const trailers = decodePairs(vm.bytes(tPtr, tLen)) ?? [];
      if (!headers) return WasmResult.BadArgument;
      const names = new Set(headers.map(([k]) => k.toLowerCase()));
      if (!names.has(':path') || !names.has(':method') || !names.has(':authority')) return WasmResult.BadArgument;
      if (timeoutMs < 0) return WasmResult.BadArgument; // > 2^31-1 turns negative in Envoy too
      const body = vm.copy(bPtr, bLen);
      const root = rootOf(ctx);
      const callId = vm.newCallId();
      const sent = headers.map(([k, v]) => [k.toLowerCase(), v] as [string, string]);
      sent.push(['x-envoy-internal', 'true']);
      if (body.length > 0 && !names.has('content-length')) sent.push(['content-length', String(body.length)]);
      const deliver = (resp: HttpCallResponse | null) => {
        if (vm.failed || root.deleted) return;
        if (resp) {
          root.status = { code: 0, message: new Uint8Array(0) };
          root.callResponse = { headers: resp.headers, body: resp.body, trailers: resp.trailers };
        } else {
          root.status = { code: WasmResult.BrokenConnection, message: encodeUtf8('reset') };
          root.callResponse = { headers: [], body: new Uint8Array(0), trailers: [] };
        }
        const r = root.callResponse;
        try {
          vm.call(root, 'proxy_on_http_call_response', root.id, callId, r.headers.length, r.body.length, r.trailers.length);
        } finally {
          root.callResponse = null;
        }
      };
      vm.services.platform.httpCall({ url, headers: sent, body, trailers, timeoutMs }).then(deliver, () => deliver(null));
      vm.writeU32(retId, callId);
      return WasmResult.Ok;
    },
  };
}

