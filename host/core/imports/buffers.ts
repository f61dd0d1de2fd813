// Body, configuration and call-data buffers. Envoy's body buffers accept only prepend / replace from 0 /
// append (fact sheet §1.3 proxy_set_buffer_bytes); other buffers are read-only.
import { WasmResult } from '../abi.ts';
import type { WasmVm } from '../vm.ts';
import { bufferData, isWritableBuffer, replaceBuffer } from './context-access.ts';
import type { ImportGroup } from './index.ts';

const maxBufferType = 8;

export function bufferImports(vm: WasmVm): ImportGroup {
  return {
    proxy_get_buffer_bytes(type: number, start: number, maxSize: number, retPtr: number, retLen: number) {
      if (type < 0 || type > maxBufferType) return WasmResult.BadArgument;
      const data = bufferData(vm.effective, type);
      if (data === null) return WasmResult.NotFound;
      const from = Math.min(start >>> 0, data.length);
      const to = Math.min(data.length, from + (maxSize >>> 0));
      return vm.returnBytes(data.subarray(from, to), retPtr, retLen);
    },
    proxy_get_buffer_status(type: number, retLen: number, retFlags: number) {
      if (type < 0 || type > maxBufferType) return WasmResult.BadArgument;
      const data = bufferData(vm.effective, type);
      if (data === null) return WasmResult.NotFound;
      vm.writeU32(retLen, data.length);
      vm.writeU32(retFlags, 0);
      return WasmResult.Ok;
    },
    proxy_set_buffer_bytes(type: number, start: number, size: number, ptr: number, len: number) {
      if (type < 0 || type > maxBufferType) return WasmResult.BadArgument;
      const ctx = vm.effective;
      const current = bufferData(ctx, type);
      if (current === null) return WasmResult.NotFound;
      if (!isWritableBuffer(type)) return WasmResult.BadArgument;
      const data = vm.copy(ptr, len);
      start >>>= 0;
      size >>>= 0;
      let next: Uint8Array;
      if (start === 0) {
        const rest = current.subarray(Math.min(size, current.length));
        next = new Uint8Array(data.length + rest.length);
        next.set(data, 0);
        next.set(rest, data.length);
      } else if (start >= current.length) {
        next = new Uint8Array(current.length + data.length);
        next.set(current, 0);
        next.set(data, current.length);
      } else return WasmResult.BadArgument;
      replaceBuffer(ctx!, type, next);
      return WasmResult.Ok;
    },
  };
}
