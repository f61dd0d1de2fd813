// meshplug's AssemblyScript SDK for Proxy-Wasm ABI 0.2.1. Import from here; re-export
// "sdk/exports" from the plugin's entry file. See sdk/README.md.
export {
  BufferType, DataStatus, GrpcStatus, HeadersStatus, LogLevel, MapType, MetricType, NetworkStatus, PeerType, StreamType,
  TrailersStatus, WasmResult, wasmResultName,
} from "./abi/enums";
export { BytesView, hex, hexOf, utf8 } from "./bytes";
export { Context, HttpContext, RootContext, TcpContext } from "./context";
export { registerRoot, RootFactory } from "./dispatcher";
export { lastResult, lastResultName } from "./result";
export { Header, PairsView, serializePairs } from "./pairs";
export {
  HeaderMap, PeekedValue, grpcInitialMetadata, grpcTrailingMetadata, httpCallResponseHeaders, httpCallResponseTrailers, requestHeaders,
  requestTrailers, responseHeaders, responseTrailers,
} from "./headers";
export {
  HostBuffer, callData, downstreamData, grpcReceiveBuffer, httpCallResponseBody, pluginConfiguration, requestBody, responseBody,
  upstreamData, vmConfiguration,
} from "./buffers";
export {
  PropertyNumber, getProperty, getPropertyBool, getPropertyDurationNanos, getPropertyFloat, getPropertyInt, getPropertyList,
  getPropertyMap, getPropertyString, getPropertyTimestampNanos, getPropertyUint, propertyPath, setProperty,
} from "./properties";
export { Counter, Gauge, Histogram, Metric, defineCounter, defineGauge, defineHistogram } from "./metrics";
export { hostLogLevel, log, logBytes, logCritical, logDebug, logEnabled, logError, logInfo, logTrace, logWarn } from "./log";
export { SharedValue, getSharedData, setSharedData } from "./shared-data";
export { dequeue, enqueue, registerQueue, resolveQueue } from "./shared-queue";
export { closeStream, continueRequest, continueResponse, continueStream, sendLocalResponse } from "./stream";
export { httpCall } from "./http-call";
export { grpcCall, grpcCancel, grpcClose, grpcSend, grpcStream } from "./grpc";
export { HostStatus, callForeignFunction, done, getStatus, nowNanos, setTickPeriod } from "./host";
export { ConfigObject, configObject, pluginConfigBytes, pluginConfigJson, vmConfigBytes } from "./config";
export { JsonKind, JsonResult, JsonValue, parseJson, parseJsonBytes } from "./json";
export { asciiLower, headerNameProblem, headerValueProblem } from "./header-check";
export { ProtoReader, ProtoWriter, SignatureCheck, lastSignatureError, verifySignature, verifySignatureArguments } from "./foreign";
