// Metrics with Envoy's rules (fact sheet §8): counters only grow, histograms only record.
import { MetricType, WasmResult } from '../abi.ts';
import type { WasmVm } from '../vm.ts';
import type { ImportGroup } from './index.ts';

export function metricImports(vm: WasmVm): ImportGroup {
  const stats = vm.services.stats;
  return {
    proxy_define_metric(type: number, nPtr: number, nLen: number, retId: number) {
      if (type < 0 || type > 2) return WasmResult.BadArgument;
      vm.writeU32(retId, vm.defineMetric(type as MetricType, vm.string(nPtr, nLen)));
      return WasmResult.Ok;
    },
    proxy_increment_metric(id: number, delta: bigint) {
      const stat = vm.metrics.get(id >>> 0);
      if (!stat) return WasmResult.NotFound;
      if (stat.type === MetricType.Histogram) return WasmResult.BadArgument;
      if (stat.type === MetricType.Counter) {
        if (delta <= 0n) return WasmResult.BadArgument;
        stat.value += Number(delta);
      } else stat.value += Number(delta);
      return WasmResult.Ok;
    },
    proxy_record_metric(id: number, value: bigint) {
      const stat = vm.metrics.get(id >>> 0);
      if (!stat) return WasmResult.NotFound;
      stats.record(stat, Number(BigInt.asUintN(64, value)));
      return WasmResult.Ok;
    },
    proxy_get_metric(id: number, ret: number) {
      const stat = vm.metrics.get(id >>> 0);
      if (!stat) return WasmResult.NotFound;
      if (stat.type === MetricType.Histogram) return WasmResult.BadArgument;
      vm.writeU64(ret, BigInt(stat.value));
      return WasmResult.Ok;
    },
  };
}
