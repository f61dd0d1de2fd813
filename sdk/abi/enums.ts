// Numeric values of the Proxy-Wasm ABI 0.2.1 enums, exactly as the host uses them.

export enum WasmResult {
  Ok = 0, NotFound = 1, BadArgument = 2, SerializationFailure = 3, ParseFailure = 4, BadExpression = 5,
  InvalidMemoryAccess = 6, Empty = 7, CasMismatch = 8, ResultMismatch = 9, InternalFailure = 10,
  BrokenConnection = 11, Unimplemented = 12,
}

/** "NotFound", "CasMismatch", ...; "WasmResult(<n>)" for a value the ABI does not define. */
export function wasmResultName(r: u32): string {
  // A switch, not a table: the names cost nothing in modules that never print a result.
  switch (r) {
    case 0: return "Ok";
    case 1: return "NotFound";
    case 2: return "BadArgument";
    case 3: return "SerializationFailure";
    case 4: return "ParseFailure";
    case 5: return "BadExpression";
    case 6: return "InvalidMemoryAccess";
    case 7: return "Empty";
    case 8: return "CasMismatch";
    case 9: return "ResultMismatch";
    case 10: return "InternalFailure";
    case 11: return "BrokenConnection";
    case 12: return "Unimplemented";
  }
  return "WasmResult(" + r.toString() + ")";
}

export enum LogLevel { Trace = 0, Debug = 1, Info = 2, Warn = 3, Error = 4, Critical = 5, Off = 6 }

export enum MapType {
  HttpRequestHeaders = 0, HttpRequestTrailers = 1, HttpResponseHeaders = 2, HttpResponseTrailers = 3,
  GrpcReceiveInitialMetadata = 4, GrpcReceiveTrailingMetadata = 5, HttpCallResponseHeaders = 6,
  HttpCallResponseTrailers = 7,
}

export enum BufferType {
  HttpRequestBody = 0, HttpResponseBody = 1, NetworkDownstreamData = 2, NetworkUpstreamData = 3,
  HttpCallResponseBody = 4, GrpcReceiveBuffer = 5, VmConfiguration = 6, PluginConfiguration = 7,
  CallData = 8,
}

export enum StreamType { Request = 0, Response = 1, Downstream = 2, Upstream = 3 }

export enum MetricType { Counter = 0, Gauge = 1, Histogram = 2 }

export enum PeerType { Unknown = 0, Local = 1, Remote = 2 }

/** What an HTTP header callback returns (the host maps 1 to StopAllIterationAndWatermark). */
export enum HeadersStatus { Continue = 0, StopIteration = 1, ContinueAndEndStream = 2, StopAllIterationAndBuffer = 3, StopAllIterationAndWatermark = 4 }

/** What an HTTP body callback returns. */
export enum DataStatus { Continue = 0, StopIterationAndBuffer = 1, StopIterationAndWatermark = 2, StopIterationNoBuffer = 3 }

/** What an HTTP trailers callback returns. */
export enum TrailersStatus { Continue = 0, StopIteration = 1 }

/** What a TCP (network filter) callback returns. */
export enum NetworkStatus { Continue = 0, StopIteration = 1 }

export enum GrpcStatus {
  Ok = 0, Cancelled = 1, Unknown = 2, InvalidArgument = 3, DeadlineExceeded = 4, NotFound = 5,
  AlreadyExists = 6, PermissionDenied = 7, ResourceExhausted = 8, FailedPrecondition = 9, Aborted = 10,
  OutOfRange = 11, Unimplemented = 12, Internal = 13, Unavailable = 14, DataLoss = 15, Unauthenticated = 16,
  /** "no grpc-status" in a local reply. */
  None = -1,
}
