// gRPC's wire framing (length-prefixed messages: 1 flag byte, 4-byte big-endian length, payload) and the
// status codes the host needs by name. Platform-neutral: both the Node transport and tests use it.

export const enum GrpcStatus {
  Ok = 0, Cancelled = 1, Unknown = 2, InvalidArgument = 3, DeadlineExceeded = 4, NotFound = 5, AlreadyExists = 6,
  PermissionDenied = 7, ResourceExhausted = 8, FailedPrecondition = 9, Aborted = 10, OutOfRange = 11,
  Unimplemented = 12, Internal = 13, Unavailable = 14, DataLoss = 15, Unauthenticated = 16,
}

/** One message as it travels in an HTTP/2 DATA stream (never compressed: flag 0). */
export function frameMessage(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + message.length);
  new DataView(out.buffer).setUint32(1, message.length, false);
  out.set(message, 5);
  return out;
}

/**
 * Splits a byte stream into messages as bytes arrive. A frame with the compressed flag set, or longer than
 * `maxMessageBytes`, is a protocol error reported once through `onError` (the stream cannot be resynced).
 */
export class FrameDecoder {
  private pending = new Uint8Array(0);
  private broken = false;

  constructor(
    private readonly onMessage: (m: Uint8Array) => void,
    private readonly onError: (why: string) => void,
    private readonly maxMessageBytes = 4 * 1024 * 1024,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.broken) return;
    const buf = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    let at = 0;
    while (buf.length - at >= 5) {
      const flag = buf[at]!;
      const len = new DataView(buf.buffer, buf.byteOffset + at + 1, 4).getUint32(0, false);
      if (flag !== 0) return this.fail('compressed gRPC messages are not supported');
      if (len > this.maxMessageBytes) return this.fail(`gRPC message of ${len} bytes exceeds the limit`);
      if (buf.length - at - 5 < len) break;
      this.onMessage(buf.slice(at + 5, at + 5 + len));
      at += 5 + len;
    }
    this.pending = buf.slice(at);
  }

  /** True when the stream ended in the middle of a frame. */
  get partial(): boolean { return this.pending.length > 0; }

  private fail(why: string): void {
    this.broken = true;
    this.pending = new Uint8Array(0);
    this.onError(why);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
