// Shared data (CAS) and shared queues, namespaced by vm_id across every VM of the host.
import { WasmResult } from '../abi.ts';
import type { WasmVm } from '../vm.ts';
import { rootOf } from './context-access.ts';
import type { ImportGroup } from './index.ts';

export function sharedImports(vm: WasmVm): ImportGroup {
  const shared = vm.services.shared;
  const vmId = vm.spec.vmId;
  return {
    proxy_get_shared_data(kPtr: number, kLen: number, retVal: number, retLen: number, retCas: number) {
      const entry = shared.get(vmId, vm.string(kPtr, kLen));
      if (!entry) return WasmResult.NotFound;
      const r = vm.returnBytes(entry.value, retVal, retLen);
      if (r !== WasmResult.Ok) return r;
      vm.writeU32(retCas, entry.cas);
      return WasmResult.Ok;
    },
    proxy_set_shared_data(kPtr: number, kLen: number, vPtr: number, vLen: number, cas: number) {
      return shared.set(vmId, vm.string(kPtr, kLen), vm.bytes(vPtr, vLen), cas >>> 0);
    },
    proxy_register_shared_queue(nPtr: number, nLen: number, retId: number) {
      const ctx = vm.effective;
      if (!ctx) return WasmResult.BadArgument;
      const root = rootOf(ctx);
      const id = shared.registerQueue(vmId, vm.string(nPtr, nLen), {
        notify: (queueId) => vm.services.platform.defer(() => {
          if (!root.deleted) vm.call(root, 'proxy_on_queue_ready', root.id, queueId);
        }),
      });
      vm.writeU32(retId, id);
      return WasmResult.Ok;
    },
    proxy_resolve_shared_queue(vPtr: number, vLen: number, nPtr: number, nLen: number, retId: number) {
      const ns = vLen === 0 ? vmId : vm.string(vPtr, vLen);
      const id = shared.resolveQueue(ns, vm.string(nPtr, nLen));
      if (id === undefined) return WasmResult.NotFound;
      vm.writeU32(retId, id);
      return WasmResult.Ok;
    },
    proxy_enqueue_shared_queue(id: number, ptr: number, len: number) {
      return shared.enqueue(id >>> 0, vm.bytes(ptr, len));
    },
    proxy_dequeue_shared_queue(id: number, retPtr: number, retLen: number) {
      const r = shared.dequeue(id >>> 0);
      if (r.result !== WasmResult.Ok) return r.result;
      return vm.returnBytes(r.data!, retPtr, retLen);
    },
  };
}
