// A hand-written network-filter module for the TCP corpus: it logs every callback with its arguments
// (`new`, `down <size> <eos>`, `up <size> <eos>`, `downclose <peer>`, `upclose <peer>`, `done`, `log`,
// `delete`) and holds downstream bytes (StopIteration) until at least 4 have arrived, so the corpus shows
// Envoy's callback order, the close types and read-buffer accumulation. A scenario names it `wat:tcp-lifecycle`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileWatText } from '../../test/fixtures/wat/compile.ts';
import { repoRoot } from './plugin-path.ts';

const WAT = `(module
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "new")
  (data (i32.const 8) "down")
  (data (i32.const 16) "up")
  (data (i32.const 24) "downclose")
  (data (i32.const 40) "upclose")
  (data (i32.const 48) "done")
  (data (i32.const 56) "log")
  (data (i32.const 64) "delete")
  (global $heap (mut i32) (i32.const 8192))
  (func (export "malloc") (param $n i32) (result i32) (local $p i32)
    (local.set $p (global.get $heap)) (global.set $heap (i32.add (global.get $heap) (local.get $n))) (local.get $p))
  (func (export "proxy_abi_version_0_2_1"))
  ;; Writes " <v>" in decimal at $at; returns the new end.
  (func $num (param $v i32) (param $at i32) (result i32) (local $len i32) (local $t i32) (local $i i32)
    (i32.store8 (local.get $at) (i32.const 32))
    (local.set $at (i32.add (local.get $at) (i32.const 1)))
    (local.set $t (local.get $v))
    (loop $count
      (local.set $len (i32.add (local.get $len) (i32.const 1)))
      (local.set $t (i32.div_u (local.get $t) (i32.const 10)))
      (br_if $count (local.get $t)))
    (local.set $i (local.get $len))
    (loop $digits
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (i32.store8 (i32.add (local.get $at) (local.get $i)) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $digits (local.get $i)))
    (i32.add (local.get $at) (local.get $len)))
  ;; Logs the name at $p/$n followed by $count numbers ($a, $b).
  (func $say (param $p i32) (param $n i32) (param $count i32) (param $a i32) (param $b i32) (local $end i32)
    (memory.copy (i32.const 1024) (local.get $p) (local.get $n))
    (local.set $end (i32.add (i32.const 1024) (local.get $n)))
    (if (i32.ge_u (local.get $count) (i32.const 1)) (then (local.set $end (call $num (local.get $a) (local.get $end)))))
    (if (i32.ge_u (local.get $count) (i32.const 2)) (then (local.set $end (call $num (local.get $b) (local.get $end)))))
    (drop (call $log (i32.const 2) (i32.const 1024) (i32.sub (local.get $end) (i32.const 1024)))))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_new_connection") (param i32) (result i32)
    (call $say (i32.const 0) (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 0))
  (func (export "proxy_on_downstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $say (i32.const 8) (i32.const 4) (i32.const 2) (local.get $size) (local.get $eos))
    ;; Hold the bytes until 4 have accumulated (or the client ended).
    (i32.and (i32.eqz (local.get $eos)) (i32.lt_u (local.get $size) (i32.const 4))))
  (func (export "proxy_on_upstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (call $say (i32.const 16) (i32.const 2) (i32.const 2) (local.get $size) (local.get $eos)) (i32.const 0))
  (func (export "proxy_on_downstream_connection_close") (param $ctx i32) (param $peer i32)
    (call $say (i32.const 24) (i32.const 9) (i32.const 1) (local.get $peer) (i32.const 0)))
  (func (export "proxy_on_upstream_connection_close") (param $ctx i32) (param $peer i32)
    (call $say (i32.const 40) (i32.const 7) (i32.const 1) (local.get $peer) (i32.const 0)))
  (func (export "proxy_on_done") (param $ctx i32) (result i32)
    (call $say (i32.const 48) (i32.const 4) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 1))
  (func (export "proxy_on_log") (param $ctx i32)
    (call $say (i32.const 56) (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 0)))
  (func (export "proxy_on_delete") (param $ctx i32)
    (call $say (i32.const 64) (i32.const 6) (i32.const 0) (i32.const 0) (i32.const 0))))`;

const MODULES: Record<string, string> = { 'tcp-lifecycle': WAT };

/** Compiles `wat:NAME` into the git-ignored tmp/ and returns its path. */
export async function watModule(name: string): Promise<string> {
  const text = MODULES[name];
  if (!text) throw new Error(`no WAT module named ${name}`);
  const dir = join(repoRoot, 'tmp', 'envoy-test', 'tcp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.wasm`);
  writeFileSync(file, await compileWatText(`${name}.wat`, text));
  return file;
}
