// proxy_get_property / proxy_set_property. Paths are segments joined by NUL bytes.
import { WasmResult } from '../abi.ts';
import { getProperty } from '../properties.ts';
import type { WasmVm } from '../vm.ts';
import type { ImportGroup } from './index.ts';

// Plugins ask for the same few paths on every request: their split form is kept (frozen: callers share it).
const splitCache = new Map<string, readonly string[]>();

function splitPath(raw: string): readonly string[] {
  let parts = splitCache.get(raw);
  if (parts === undefined) {
    const p = raw.split('\u0000');
    if (p.length > 1 && p[p.length - 1] === '') p.pop(); // a trailing NUL is harmless
    parts = Object.freeze(p);
    if (splitCache.size >= 256) splitCache.clear();
    splitCache.set(raw, parts);
  }
  return parts;
}

export function propertyImports(vm: WasmVm): ImportGroup {
  return {
    proxy_get_property(pPtr: number, pLen: number, retPtr: number, retLen: number) {
      const ctx = vm.effective;
      if (!ctx) return WasmResult.NotFound;
      const r = getProperty(ctx, splitPath(vm.string(pPtr, pLen)), vm.services, vm.services.route);
      if (r.result !== WasmResult.Ok || !('value' in r)) return r.result;
      return vm.returnBytes(r.value, retPtr, retLen);
    },
    proxy_set_property(pPtr: number, pLen: number, vPtr: number, vLen: number) {
      const ctx = vm.effective;
      if (!ctx || ctx.kind === 'root') return WasmResult.NotFound; // no stream info on a root context
      const path = splitPath(vm.string(pPtr, pLen));
      if (path.some((p) => p === '')) return WasmResult.BadArgument;
      (ctx.kind === 'tcp' ? ctx.tcp : ctx.stream).filterState.set(path.join('\u0000'), vm.copy(vPtr, vLen));
      return WasmResult.Ok;
    },
  };
}
