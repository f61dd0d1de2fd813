// WASI preview 1 as Envoy links it, with Envoy's behaviour (fact sheet §1.4): stdout/stderr become log
// lines, the clocks and random_get work, files do not exist, proc_exit only logs, the rest answers ENOSYS.
import { WasmResult, wasiNosysFunctions } from '../abi.ts';
import { decodeUtf8, encodeUtf8 } from '../text.ts';
import type { WasmVm } from '../vm.ts';
import type { ImportGroup } from './index.ts';
import { logFromGuest } from './logging.ts';

const enum Errno { Success = 0, Badf = 8, Fault = 21, Inval = 28, Noent = 44, Nosys = 52, Notsup = 58 }

export function wasiImports(vm: WasmVm): ImportGroup {
  const env = Object.entries(vm.spec.environment).map(([k, v]) => encodeUtf8(`${k}=${v}\u0000`));
  return {
    fd_write(fd: number, iovs: number, iovsLen: number, retWritten: number) {
      if (fd !== 1 && fd !== 2) return Errno.Badf;
      const parts: Uint8Array[] = [];
      let total = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = vm.readU32(iovs + 8 * i);
        const len = vm.readU32(iovs + 8 * i + 4);
        parts.push(vm.copy(ptr, len));
        total += len;
      }
      const all = new Uint8Array(total);
      let o = 0;
      for (const p of parts) { all.set(p, o); o += p.length; }
      let text = decodeUtf8(all);
      if (text.endsWith('\n')) text = text.slice(0, -1);
      logFromGuest(vm, fd === 1 ? 2 : 4, text);
      vm.writeU32(retWritten, total);
      return Errno.Success;
    },
    fd_read() { return Errno.Nosys; },
    fd_seek() { logFromGuest(vm, 4, 'wasi fd_seek is not supported'); return Errno.Success; },
    fd_close() { logFromGuest(vm, 4, 'wasi fd_close is not supported'); return Errno.Success; },
    fd_fdstat_get(fd: number, ret: number) {
      if (fd !== 1 && fd !== 2) return Errno.Badf;
      const stat = vm.bytes(ret, 24);
      stat.fill(0);
      stat[0] = 2; // filetype: character device
      stat[8] = 64; // rights_base: FD_WRITE
      return Errno.Success;
    },
    environ_sizes_get(retCount: number, retSize: number) {
      vm.writeU32(retCount, env.length);
      vm.writeU32(retSize, env.reduce((n, e) => n + e.length, 0));
      return Errno.Success;
    },
    environ_get(ptrs: number, buf: number) {
      let o = buf;
      env.forEach((e, i) => {
        vm.writeU32(ptrs + 4 * i, o);
        vm.bytes(o, e.length).set(e);
        o += e.length;
      });
      return Errno.Success;
    },
    args_sizes_get(retCount: number, retSize: number) {
      vm.writeU32(retCount, 0);
      vm.writeU32(retSize, 0);
      return Errno.Success;
    },
    args_get() { return Errno.Success; },
    clock_time_get(id: number, _precision: bigint, ret: number) {
      if (id === 0) vm.writeU64(ret, vm.services.platform.nowNanos());
      else if (id === 1) vm.writeU64(ret, vm.services.platform.monotonicNanos());
      else return Errno.Notsup;
      return Errno.Success;
    },
    clock_res_get(id: number, ret: number) {
      if (id !== 0 && id !== 1) return Errno.Notsup;
      vm.writeU64(ret, 1n);
      return Errno.Success;
    },
    random_get(ptr: number, len: number) {
      if (len > 65536) return Errno.Inval;
      vm.services.platform.randomBytes(vm.bytes(ptr, len));
      return Errno.Success;
    },
    proc_exit() { logFromGuest(vm, 4, 'proc_exit'); }, // Envoy only logs; execution continues
    path_open() { return Errno.Noent; },
    fd_prestat_get() { return Errno.Badf; },
    fd_prestat_dir_name() { return Errno.Nosys; },
    fd_fdstat_set_flags() { return Errno.Nosys; },
    sched_yield() { return Errno.Success; },
    poll_oneoff(_in: number, _out: number, _n: number, retEvents: number) {
      vm.writeU32(retEvents, 0);
      return Errno.Success;
    },
    ...Object.fromEntries(Object.keys(wasiNosysFunctions()).map((name) => [name, () => Errno.Nosys])),
  };
}
