// Byte buffers the host owns: HTTP bodies, TCP data, callout/gRPC responses, configuration and
// foreign-function arguments. Reads are zero-copy views (valid until the callback returns).
import { BufferType, WasmResult } from "./abi/enums";
import { proxy_get_buffer_bytes, proxy_get_buffer_status, proxy_set_buffer_bytes } from "./abi/imports";
import { clearRet, freeHostBlock, keepUntilCallbackEnd, ret0, ret1, RET0, RET1 } from "./abi/memory";
import { ARG_A, BytesView, setArg } from "./bytes";
import { lastResult, setLastResult } from "./result";

export class HostBuffer {
  constructor(public readonly type: BufferType) {}

  /** Up to `maxSize` bytes from `start`; null when the buffer is unavailable now (lastResult()). */
  view(start: i32 = 0, maxSize: i32 = i32.MAX_VALUE): BytesView | null {
    clearRet();
    if (setLastResult(proxy_get_buffer_bytes(this.type, <u32>max(start, 0), <u32>max(maxSize, 0), RET0, RET1)) != 0) return null;
    const p = <usize>ret0();
    keepUntilCallbackEnd(p);
    return new BytesView(p, <i32>ret1());
  }

  /** The bytes copied into a GC-managed buffer; null when unavailable. */
  bytes(start: i32 = 0, maxSize: i32 = i32.MAX_VALUE): ArrayBuffer | null {
    clearRet();
    if (setLastResult(proxy_get_buffer_bytes(this.type, <u32>max(start, 0), <u32>max(maxSize, 0), RET0, RET1)) != 0) return null;
    const p = <usize>ret0();
    const n = <i32>ret1();
    const out = new ArrayBuffer(n);
    memory.copy(changetype<usize>(out), p, n);
    freeHostBlock(p);
    return out;
  }

  /** The bytes decoded as UTF-8; null when unavailable. */
  text(start: i32 = 0, maxSize: i32 = i32.MAX_VALUE): string | null {
    clearRet();
    if (setLastResult(proxy_get_buffer_bytes(this.type, <u32>max(start, 0), <u32>max(maxSize, 0), RET0, RET1)) != 0) return null;
    const p = <usize>ret0();
    const s = String.UTF8.decodeUnsafe(p, ret1());
    freeHostBlock(p);
    return s;
  }

  /** Current length in bytes; -1 when unavailable. */
  length(): i32 {
    store<u64>(RET0, 0);
    return setLastResult(proxy_get_buffer_status(this.type, RET0, RET1)) == 0 ? <i32>ret0() : -1;
  }

  /** Replaces `size` bytes at `start` with data. Envoy supports only the three helpers below. */
  set<T>(data: T, start: i32, size: i32): WasmResult {
    const d = setArg(ARG_A, data);
    return <WasmResult>setLastResult(proxy_set_buffer_bytes(this.type, <u32>start, <u32>size, d.ptr, d.len));
  }

  /** Replaces the whole content (remember to fix content-length for HTTP bodies). */
  replace<T>(data: T): WasmResult {
    const n = this.length();
    return n < 0 ? lastResult() : this.set(data, 0, n);
  }

  prepend<T>(data: T): WasmResult { return this.set(data, 0, 0); }

  append<T>(data: T): WasmResult {
    const n = this.length();
    return n < 0 ? lastResult() : this.set(data, n, 0);
  }
}

// @ts-ignore: decorator
@lazy export const requestBody = new HostBuffer(BufferType.HttpRequestBody);
// @ts-ignore: decorator
@lazy export const responseBody = new HostBuffer(BufferType.HttpResponseBody);
// @ts-ignore: decorator
@lazy export const downstreamData = new HostBuffer(BufferType.NetworkDownstreamData);
// @ts-ignore: decorator
@lazy export const upstreamData = new HostBuffer(BufferType.NetworkUpstreamData);
// @ts-ignore: decorator
@lazy export const httpCallResponseBody = new HostBuffer(BufferType.HttpCallResponseBody);
// @ts-ignore: decorator
@lazy export const grpcReceiveBuffer = new HostBuffer(BufferType.GrpcReceiveBuffer);
// @ts-ignore: decorator
@lazy export const vmConfiguration = new HostBuffer(BufferType.VmConfiguration);
// @ts-ignore: decorator
@lazy export const pluginConfiguration = new HostBuffer(BufferType.PluginConfiguration);
// @ts-ignore: decorator
@lazy export const callData = new HostBuffer(BufferType.CallData);
