// continue_stream, close_stream and send_local_response. Envoy defers all three until the current callback
// returns; on a context without an HTTP stream (a root) they succeed and do nothing.
import { WasmResult } from '../abi.ts';
import type { StreamContext } from '../contexts.ts';
import { decodePairs } from '../pairs.ts';
import type { WasmVm } from '../vm.ts';
import { streamOf, tcpOf } from './context-access.ts';
import type { ImportGroup } from './index.ts';

/** Wakes a paused stream after the current guest call has returned. */
function wake(vm: WasmVm, ctx: StreamContext, how: 'continue' | 'reply' | 'reset'): void {
  vm.services.platform.defer(() => {
    const resume = ctx.resume;
    if (resume) {
      ctx.resume = null;
      resume(how);
    }
  });
}

export function streamControlImports(vm: WasmVm): ImportGroup {
  return {
    proxy_continue_stream(type: number) {
      if (type < 0 || type > 3) return WasmResult.BadArgument;
      if (type === 3) return WasmResult.Unimplemented;
      const tcp = tcpOf(vm.effective);
      if (tcp) {
        // Downstream: continue reading (deferred); Request/Response do nothing on a connection.
        if (type === 2 && !tcp.deleted) {
          tcp.continueReading = true;
          const resume = tcp.resume;
          tcp.resume = null;
          if (resume) vm.services.platform.defer(resume);
        }
        return WasmResult.Ok;
      }
      const ctx = streamOf(vm.effective);
      if (!ctx || type > 1) return WasmResult.Ok;
      if (type === 0) ctx.continueRequest = true;
      else ctx.continueResponse = true;
      if (ctx.resume) wake(vm, ctx, 'continue');
      return WasmResult.Ok;
    },
    proxy_close_stream(type: number) {
      if (type < 0 || type > 3) return WasmResult.BadArgument;
      const tcp = tcpOf(vm.effective);
      if (tcp) {
        // Downstream / Upstream: close that connection after the callback (flush-write).
        if (type === 2) tcp.closeDownstream = true;
        if (type === 3) tcp.closeUpstream = true;
        return WasmResult.Ok;
      }
      const ctx = streamOf(vm.effective);
      if (!ctx) return WasmResult.Ok;
      ctx.closeRequested = true;
      if (ctx.resume) wake(vm, ctx, 'reset');
      return WasmResult.Ok;
    },
    proxy_send_local_response(status: number, dPtr: number, dLen: number, bPtr: number, bLen: number, hPtr: number, hLen: number, grpcStatus: number) {
      const details = vm.string(dPtr, dLen).replace(/ /g, '_');
      const body = vm.copy(bPtr, bLen);
      const headers = decodePairs(vm.bytes(hPtr, hLen)) ?? []; // malformed pairs: no extra headers, still Ok
      const ctx = streamOf(vm.effective);
      if (!ctx) return WasmResult.Ok;
      if (ctx.localReply) return WasmResult.Ok; // a second reply for the same stream is ignored
      ctx.localReply = { status: status >>> 0, details, body, headers, grpcStatus: grpcStatus | 0 };
      if (ctx.resume) wake(vm, ctx, 'reply');
      return WasmResult.Ok;
    },
  };
}
