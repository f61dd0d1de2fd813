// Entry point of the test/bench build (libinjection.wasm): the host writes an input into the buffer
// from buffer(n), then calls sqli(n) / xss(n). sqli's fingerprint comes back through out()/outLength().
import { detectSQLiAt, detectXSSAt } from './index';

let input = new Uint8Array(256);
let outBytes = new Uint8Array(8);
let outLen = 0;

/** Pointer to the input buffer, grown to hold n bytes. */
export function buffer(n: i32): usize {
  if (n < 0) return 0;
  if (input.length < n) input = new Uint8Array(n);
  return input.dataStart;
}

/** 1 when the n bytes in the buffer are SQLi (fingerprint in out()), else 0. */
export function sqli(n: i32): i32 {
  if (n < 0 || n > input.length) return -1;
  const fp = detectSQLiAt(input.dataStart, n);
  outLen = 0;
  if (fp == null) return 0;
  for (let i = 0; i < fp.length && i < outBytes.length; i++) outBytes[outLen++] = <u8>fp.charCodeAt(i);
  return 1;
}

/** 1 when the n bytes in the buffer are XSS, else 0. */
export function xss(n: i32): i32 {
  if (n < 0 || n > input.length) return -1;
  return detectXSSAt(input.dataStart, n) ? 1 : 0;
}

/** sqli() `rounds` times on the buffer (for the benchmark: no host call per input). */
export function sqliRepeat(n: i32, rounds: i32): i32 {
  let hits = 0;
  for (let r = 0; r < rounds; r++) if (detectSQLiAt(input.dataStart, n) != null) hits++;
  return hits;
}

export function xssRepeat(n: i32, rounds: i32): i32 {
  let hits = 0;
  for (let r = 0; r < rounds; r++) if (detectXSSAt(input.dataStart, n)) hits++;
  return hits;
}

export function out(): usize {
  return outBytes.dataStart;
}

export function outLength(): i32 {
  return outLen;
}
