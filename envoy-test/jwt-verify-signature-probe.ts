// A hand-written HTTP module that hands a request body to the host's `verify_signature` foreign function
// and answers with what came back, so the same bytes can be sent to Envoy 1.40 and to our host and the
// answers compared (envoy-test/jwt-verify-signature.ts, test/host/verify-signature.test.ts).
// Request body: u32 little-endian repeat count N, then the serialized VerifySignatureArguments.
// Response (200, text): "<WasmResult of the last call> <ns for the N calls> <hex of the last result>".
// WAT rather than AssemblyScript: no SDK in the way, so the timing is the host call alone. The headers
// callback continues: Envoy 1.40 never delivered the body to a module that stopped iteration at the headers.
import { compileWatText } from '../test/fixtures/wat/compile.ts';

const WAT = `(module
  (import "env" "proxy_get_buffer_bytes" (func $buf (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_call_foreign_function" (func $ff (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_current_time_nanoseconds" (func $now (param i32) (result i32)))
  (import "env" "proxy_send_local_response" (func $reply (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 4)
  (data (i32.const 64) "verify_signature")
  (global $heap (mut i32) (i32.const 65536))
  ;; Bump allocator, reset for every request; grows memory as needed.
  (func (export "malloc") (param $n i32) (result i32) (local $p i32) (local $need i32)
    (local.set $p (global.get $heap))
    (local.set $need (i32.add (local.get $p) (local.get $n)))
    (if (i32.gt_u (local.get $need) (i32.mul (memory.size) (i32.const 65536)))
      (then (if (i32.lt_s (memory.grow (i32.add (i32.shr_u (i32.sub (local.get $need) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16)) (i32.const 1))) (i32.const 0))
        (then (return (i32.const 0))))))
    (global.set $heap (i32.and (i32.add (local.get $need) (i32.const 7)) (i32.const -8)))
    (local.get $p))
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0))
  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
  (func (export "proxy_on_log") (param i32))
  (func (export "proxy_on_delete") (param i32))
  ;; Writes v in decimal at $at; returns the new end.
  (func $dec (param $v i64) (param $at i32) (result i32) (local $len i32) (local $t i64) (local $i i32)
    (local.set $t (local.get $v))
    (loop $count
      (local.set $len (i32.add (local.get $len) (i32.const 1)))
      (local.set $t (i64.div_u (local.get $t) (i64.const 10)))
      (br_if $count (i64.ne (local.get $t) (i64.const 0))))
    (local.set $i (local.get $len))
    (loop $digits
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (i32.store8 (i32.add (local.get $at) (local.get $i)) (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digits (local.get $i)))
    (i32.add (local.get $at) (local.get $len)))
  (func $hexdigit (param $d i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $d) (i32.const 10))
      (then (i32.add (local.get $d) (i32.const 48))) (else (i32.add (local.get $d) (i32.const 87)))))
  (func (export "proxy_on_request_body") (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
    (local $p i32) (local $len i32) (local $n i32) (local $status i32) (local $t0 i64) (local $out i32) (local $olen i32)
    (local $end i32) (local $i i32) (local $b i32)
    (if (i32.eqz (local.get $eos)) (then (return (i32.const 1))))
    (global.set $heap (i32.const 65536))
    (drop (call $buf (i32.const 0) (i32.const 0) (local.get $size) (i32.const 0) (i32.const 4)))
    (local.set $p (i32.load (i32.const 0)))
    (local.set $len (i32.load (i32.const 4)))
    (local.set $n (i32.load (local.get $p)))
    (drop (call $now (i32.const 8)))
    (local.set $t0 (i64.load (i32.const 8)))
    (loop $again
      (i32.store (i32.const 16) (i32.const 0))
      (i32.store (i32.const 20) (i32.const 0))
      (local.set $status (call $ff (i32.const 64) (i32.const 16) (i32.add (local.get $p) (i32.const 4))
        (i32.sub (local.get $len) (i32.const 4)) (i32.const 16) (i32.const 20)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (i32.gt_s (local.get $n) (i32.const 0))))
    (drop (call $now (i32.const 8)))
    (local.set $out (i32.load (i32.const 16)))
    (local.set $olen (i32.load (i32.const 20)))
    ;; "<status> <ns> <hex>" at 1024
    (local.set $end (call $dec (i64.extend_i32_u (local.get $status)) (i32.const 1024)))
    (i32.store8 (local.get $end) (i32.const 32))
    (local.set $end (call $dec (i64.sub (i64.load (i32.const 8)) (local.get $t0)) (i32.add (local.get $end) (i32.const 1))))
    (i32.store8 (local.get $end) (i32.const 32))
    (local.set $end (i32.add (local.get $end) (i32.const 1)))
    (block $done (loop $hex
      (br_if $done (i32.ge_u (local.get $i) (local.get $olen)))
      (local.set $b (i32.load8_u (i32.add (local.get $out) (local.get $i))))
      (i32.store8 (local.get $end) (call $hexdigit (i32.shr_u (local.get $b) (i32.const 4))))
      (i32.store8 (i32.add (local.get $end) (i32.const 1)) (call $hexdigit (i32.and (local.get $b) (i32.const 15))))
      (local.set $end (i32.add (local.get $end) (i32.const 2)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $hex)))
    (drop (call $reply (i32.const 200) (i32.const 0) (i32.const 0) (i32.const 1024) (i32.sub (local.get $end) (i32.const 1024))
      (i32.const 0) (i32.const 0) (i32.const -1)))
    (i32.const 1)))`;

/** The probe module's bytes. */
export async function verifySignatureProbe(): Promise<Uint8Array> {
  return compileWatText('verify-signature-probe.wat', WAT);
}

/** The request body the probe expects: repeat count, then the arguments. */
export function probeBody(args: Uint8Array, repeat = 1): Uint8Array {
  const body = new Uint8Array(4 + args.length);
  new DataView(body.buffer).setUint32(0, repeat, true);
  body.set(args, 4);
  return body;
}

/** Parses the probe's answer. */
export function parseProbeAnswer(text: string): { status: number; ns: number; result: string } {
  const [status, ns, result = ''] = text.split(' ');
  return { status: Number(status), ns: Number(ns), result };
}
