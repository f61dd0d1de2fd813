// Effective context, proxy_done, foreign functions and proxy_get_status.
import { WasmResult } from '../abi.ts';
import { verifySignatureForeign } from '../foreign-verify-signature.ts';
import type { WasmVm } from '../vm.ts';
import { rootOf } from './context-access.ts';
import type { ImportGroup } from './index.ts';

export function miscImports(vm: WasmVm): ImportGroup {
  return {
    proxy_set_effective_context(id: number) {
      const ctx = vm.contexts.get(id >>> 0);
      if (!ctx || ctx.deleted) return WasmResult.BadArgument;
      vm.effective = ctx; // lasts until the current host→VM call returns (vm.call restores it)
      return WasmResult.Ok;
    },
    proxy_done() {
      // Only a root context that answered 0 from proxy_on_done ("I will finish later") may call this.
      const ctx = vm.effective;
      if (!ctx || ctx.kind !== 'root' || !ctx.donePending || ctx.deleted) return WasmResult.NotFound;
      vm.services.platform.defer(() => vm.deleteRoot(ctx));
      return WasmResult.Ok;
    },
    proxy_call_foreign_function(nPtr: number, nLen: number, aPtr: number, aLen: number, retPtr: number, retLen: number) {
      const name = vm.string(nPtr, nLen);
      const args = vm.copy(aPtr, aLen);
      const zlib = vm.services.platform.zlib;
      let result: Uint8Array;
      if (name === 'compress' && zlib) result = zlib.deflate(args);
      else if (name === 'uncompress' && zlib) {
        try { result = zlib.inflate(args); } catch { return WasmResult.SerializationFailure; }
      } else if (name === 'clear_route_cache') result = new Uint8Array(0);
      else if (name === 'verify_signature' && vm.services.platform.signatures) {
        const v = verifySignatureForeign(args, vm.services.platform.signatures);
        if (v.status !== WasmResult.Ok) return v.status;
        result = v.result!;
      } else return WasmResult.NotFound;
      if (retPtr === 0) return WasmResult.Ok; // caller discards the result
      return vm.returnBytes(result, retPtr, retLen);
    },
    proxy_get_status(retCode: number, retPtr: number, retLen: number) {
      const ctx = vm.effective;
      if (!ctx) return WasmResult.NotFound;
      const root = rootOf(ctx);
      vm.writeU32(retCode, root.status.code);
      return vm.returnBytes(root.status.message, retPtr, retLen);
    },
  };
}
