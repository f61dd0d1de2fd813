// Logging through proxy_log. The host's level is asked at most once per callback (the dispatcher
// bumps `epoch` on each entry) and checked before any message is built or encoded, so disabled
// debug logging costs one comparison. Build expensive messages inside `if (logEnabled(...))`.
import { LogLevel } from "./abi/enums";
import { proxy_get_log_level, proxy_log } from "./abi/imports";
import { RET0 } from "./abi/memory";

let epoch: u32 = 0; // 0 = no callback yet (in _initialize only proxy_log may be called)
let levelEpoch: u32 = 0;
let level: i32 = LogLevel.Trace;

/** Called by the dispatcher when a host callback starts. */
@inline export function newLogEpoch(): void { epoch++; }

/** The host's current log level (Off = 6 when logging is disabled). */
export function hostLogLevel(): LogLevel {
  if (epoch == 0) return LogLevel.Trace;
  if (levelEpoch != epoch) {
    store<u32>(RET0, 0);
    // A host without proxy_get_log_level support would fail here: log everything then.
    level = proxy_get_log_level(RET0) == 0 ? <i32>load<u32>(RET0) : LogLevel.Trace;
    levelEpoch = epoch;
  }
  return <LogLevel>level;
}

/** True when a message at `at` would be written. */
export function logEnabled(at: LogLevel): bool { return <i32>at >= <i32>hostLogLevel(); }

/** Logs `a + b` (concatenated only when the level is enabled). */
export function log(at: LogLevel, a: string, b: string = ""): void {
  if (<i32>at < <i32>hostLogLevel()) return;
  const msg = b.length == 0 ? a : a + b;
  const buf = String.UTF8.encode(msg);
  proxy_log(at, changetype<usize>(buf), buf.byteLength);
}

/** Logs UTF-8 bytes as they are (no conversion). */
export function logBytes(at: LogLevel, ptr: usize, len: usize): void {
  if (<i32>at < <i32>hostLogLevel()) return;
  proxy_log(at, ptr, len);
}

export function logTrace(a: string, b: string = ""): void { log(LogLevel.Trace, a, b); }
export function logDebug(a: string, b: string = ""): void { log(LogLevel.Debug, a, b); }
export function logInfo(a: string, b: string = ""): void { log(LogLevel.Info, a, b); }
export function logWarn(a: string, b: string = ""): void { log(LogLevel.Warn, a, b); }
export function logError(a: string, b: string = ""): void { log(LogLevel.Error, a, b); }
export function logCritical(a: string, b: string = ""): void { log(LogLevel.Critical, a, b); }
