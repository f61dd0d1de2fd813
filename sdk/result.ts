// The WasmResult of the most recent host call made through the SDK. Functions that return a value
// or null (e.g. a header view) record here why they returned null: NotFound, BadArgument, ...
import { WasmResult, wasmResultName } from "./abi/enums";

let last: u32 = 0;

@inline export function setLastResult(r: u32): u32 { last = r; return r; }

/** WasmResult of the latest SDK host call. */
export function lastResult(): WasmResult { return <WasmResult>last; }

/** Name of the latest host call's WasmResult ("Ok", "NotFound", ...). */
export function lastResultName(): string { return wasmResultName(last); }
