// Header and trailer map host functions with Envoy's semantics (lower-cased keys, first value on lookup,
// `host` answered by `:authority`, byte size for get_header_map_size).
import { MapType, WasmResult } from '../abi.ts';
import { decodePairs, planPairs, writePairs } from '../pairs.ts';
import type { WasmVm } from '../vm.ts';
import { headerMapFor } from './context-access.ts';
import type { ImportGroup } from './index.ts';
import { encodeUtf8Shared, isAscii, writeLatin1 } from '../text.ts';

const maxMapType = 7;

// Writers for vm.returnWritten (module functions: no closure per call).
function writeAsciiValue(value: string, memory: Uint8Array, at: number): void { writeLatin1(value, memory, at); }

export function headerImports(vm: WasmVm): ImportGroup {
  return {
    proxy_get_header_map_pairs(type: number, retPtr: number, retLen: number) {
      if (type < 0 || type > maxMapType) return WasmResult.BadArgument;
      const access = headerMapFor(vm.effective, type);
      if (!access) {
        vm.writeU32(retPtr, 0);
        vm.writeU32(retLen, 0);
        return WasmResult.Ok;
      }
      const plan = planPairs(access.map.entries);
      return vm.returnWritten(plan.size, writePairs, plan, retPtr, retLen);
    },
    proxy_set_header_map_pairs(type: number, ptr: number, len: number) {
      if (type < 0 || type > maxMapType) return WasmResult.BadArgument;
      const access = headerMapFor(vm.effective, type);
      if (!access || !access.writable) return WasmResult.BadArgument;
      const pairs = decodePairs(vm.bytes(ptr, len)) ?? []; // malformed pairs act as an empty map
      access.map.setEntries(pairs);
      return WasmResult.Ok;
    },
    proxy_get_header_map_size(type: number, ret: number) {
      if (type < 0 || type > maxMapType) return WasmResult.BadArgument;
      const access = headerMapFor(vm.effective, type);
      if (!access) return WasmResult.BadArgument;
      vm.writeU32(ret, access.map.byteSize());
      return WasmResult.Ok;
    },
    proxy_get_header_map_value(type: number, kPtr: number, kLen: number, retPtr: number, retLen: number) {
      if (type < 0 || type > maxMapType) return WasmResult.BadArgument;
      const access = headerMapFor(vm.effective, type);
      if (!access) return vm.effective?.kind === 'stream' && vm.effective.phase === 'log' ? WasmResult.NotFound : WasmResult.BadArgument;
      let key = vm.string(kPtr, kLen).toLowerCase();
      if (key === 'host' && type === MapType.HttpRequestHeaders) key = ':authority';
      const value = access.map.get(key);
      if (value === undefined) return WasmResult.NotFound;
      if (isAscii(value)) return vm.returnWritten(value.length, writeAsciiValue, value, retPtr, retLen);
      return vm.returnBytes(encodeUtf8Shared(value), retPtr, retLen);
    },
    proxy_add_header_map_value(type: number, kPtr: number, kLen: number, vPtr: number, vLen: number) {
      if (type < 0 || type > maxMapType) return WasmResult.BadArgument;
      const access = headerMapFor(vm.effective, type);
      if (!access || !access.writable) return WasmResult.BadArgument;
      access.map.add(vm.string(kPtr, kLen), vm.string(vPtr, vLen));
      return WasmResult.Ok;
    },
    proxy_replace_header_map_value(type: number, kPtr: number, kLen: number, vPtr: number, vLen: number) {
      if (type < 0 || type > maxMapType) return WasmResult.BadArgument;
      const access = headerMapFor(vm.effective, type);
      if (!access || !access.writable) return WasmResult.BadArgument;
      access.map.replace(vm.string(kPtr, kLen), vm.string(vPtr, vLen));
      return WasmResult.Ok;
    },
    proxy_remove_header_map_value(type: number, kPtr: number, kLen: number) {
      if (type < 0 || type > maxMapType) return WasmResult.BadArgument;
      const access = headerMapFor(vm.effective, type);
      if (!access || !access.writable) return WasmResult.BadArgument;
      access.map.remove(vm.string(kPtr, kLen));
      return WasmResult.Ok;
    },
  };
}
