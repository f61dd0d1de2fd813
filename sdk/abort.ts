// The module's `abort` (wired with `--use abort=sdk/abort/abort`): AssemblyScript's default
// imports env.abort, which Envoy does not provide. This logs at critical level through proxy_log,
// then traps, so the host fails the VM as for any other trap. It allocates nothing: an abort may
// come from an out-of-memory allocation.
import { proxy_log } from "./abi/imports";

const BUF_SIZE: usize = 512;
const BUF: usize = memory.data(<i32>BUF_SIZE);
let at: usize = 0;
let aborting = false;

function put(s: string | null): void {
  if (s === null) return;
  const p = changetype<usize>(s);
  const n = <usize>s.length;
  for (let i: usize = 0; i < n && at < BUF_SIZE; i++) {
    const c = load<u16>(p + (i << 1));
    store<u8>(BUF + at++, c < 0x20 || c > 0x7E ? 0x3F : <u8>c); // ASCII only; '?' otherwise
  }
}

function putU32(v: u32): void {
  let digits: u32 = 1;
  for (let t = v; t >= 10; t /= 10) digits *= 10;
  for (; digits > 0 && at < BUF_SIZE; digits /= 10) store<u8>(BUF + at++, <u8>(0x30 + (v / digits) % 10));
}

export function abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  if (!aborting) {
    aborting = true;
    at = 0;
    put("abort: ");
    put(message === null ? "(no message)" : message);
    if (fileName !== null) {
      put(" at ");
      put(fileName);
      put(":");
      putU32(line);
      put(":");
      putU32(column);
    }
    proxy_log(5, BUF, at);
  }
  unreachable();
}
