// Builds the import object a module is instantiated with: env.proxy_* for its ABI version plus WASI.
// Every function goes through `guard`: phase restrictions (start function, allocator) and guest pointers
// out of range (→ InvalidMemoryAccess) are handled in one place.
import { WasmResult, envHostFunctions } from '../abi.ts';
import { GuestMemoryError, RestrictedCallback, type WasmVm } from '../vm.ts';
import { bufferImports } from './buffers.ts';
import { callImports } from './calls.ts';
import { grpcImports } from './grpc.ts';
import { headerImports } from './headers.ts';
import { loggingImports } from './logging.ts';
import { metricImports } from './metrics.ts';
import { miscImports } from './misc.ts';
import { propertyImports } from './properties.ts';
import { sharedImports } from './shared.ts';
import { streamControlImports } from './stream-control.ts';
import { wasiImports } from './wasi.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HostFunction = (...args: any[]) => number | void;
export type ImportGroup = Record<string, HostFunction>;

function guard(vm: WasmVm, name: string, fn: HostFunction, memoryErrorResult: number): HostFunction {
  // Fixed arity avoids allocating a rest-args array on every host call.
  return (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, f?: unknown, g?: unknown, h?: unknown, i?: unknown, j?: unknown, k?: unknown, l?: unknown) => {
    if (vm.restriction !== null && !vm.restriction.has(name)) throw new RestrictedCallback();
    try {
      return fn(a, b, c, d, e, f, g, h, i, j, k, l);
    } catch (err) {
      if (err instanceof GuestMemoryError) return memoryErrorResult;
      throw err;
    }
  };
}

export function buildImports(vm: WasmVm): Record<string, Record<string, HostFunction>> {
  const env: ImportGroup = {};
  const groups = [loggingImports, propertyImports, bufferImports, headerImports, streamControlImports, callImports, grpcImports,
    sharedImports, metricImports, miscImports];
  for (const group of groups) {
    for (const [name, fn] of Object.entries(group(vm))) {
      const def = envHostFunctions[name];
      if (!def || (def.abi && !def.abi.includes(vm.spec.abi))) continue; // not linked for this ABI version
      env[name] = guard(vm, name, fn, WasmResult.InvalidMemoryAccess);
    }
  }
  const wasi: ImportGroup = {};
  for (const [name, fn] of Object.entries(wasiImports(vm))) wasi[name] = guard(vm, name, fn, 21 /* WASI EFAULT */);
  return { env, wasi_snapshot_preview1: wasi, wasi_unstable: wasi };
}
