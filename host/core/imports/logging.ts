// proxy_log, proxy_get_log_level, the clock and the tick timer.
import { WasmResult, logLevelNames } from '../abi.ts';
import { logPrefix, type WasmVm } from '../vm.ts';
import type { ImportGroup } from './index.ts';
import { rootOf } from './context-access.ts';

export function logFromGuest(vm: WasmVm, level: number, message: string): void {
  if (level < vm.services.logLevel) return;
  const ctx = vm.effective;
  const root = ctx ? rootOf(ctx) : vm.roots[0];
  const prefix = root ? logPrefix(root.plugin, vm, ctx !== null && ctx !== undefined && ctx.kind !== 'root') : vm.spec.vmId;
  vm.services.log({ level: logLevelNames[level]!, message, prefix });
}

export function loggingImports(vm: WasmVm): ImportGroup {
  return {
    proxy_log(level: number, ptr: number, len: number) {
      if (level < 0 || level > 5) return WasmResult.BadArgument;
      if (level >= vm.services.logLevel) logFromGuest(vm, level, vm.string(ptr, len));
      return WasmResult.Ok;
    },
    proxy_get_log_level(ret: number) {
      vm.writeU32(ret, vm.services.logLevel);
      return WasmResult.Ok;
    },
    proxy_get_current_time_nanoseconds(ret: number) {
      vm.writeU64(ret, vm.services.platform.nowNanos());
      return WasmResult.Ok;
    },
    proxy_set_tick_period_milliseconds(period: number) {
      // Always the root context's timer, even when called from a stream.
      const root = vm.effective ? rootOf(vm.effective) : null;
      if (!root) return WasmResult.BadArgument;
      root.cancelTick?.();
      root.cancelTick = null;
      root.tickPeriodMs = period >>> 0;
      if (root.tickPeriodMs > 0) {
        root.cancelTick = vm.services.platform.setInterval(() => {
          if (!root.deleted) vm.call(root, 'proxy_on_tick', root.id);
        }, root.tickPeriodMs);
      }
      return WasmResult.Ok;
    },
  };
}
