// proxy_grpc_call / _stream / _send / _close / _cancel with Envoy's semantics (checked against Envoy 1.40 by
// envoy-test/scenarios/grpc.json): calls and streams belong to the root context and are answered on it;
// tokens are 1 mod 4 (calls) and 2 mod 4 (streams); an unknown cluster is ParseFailure; a wrong kind of
// token is BadArgument, an unknown one NotFound; cancel never calls back; close half-closes a stream.
import { WasmResult } from '../abi.ts';
import type { GrpcEntry, RootContext } from '../contexts.ts';
import { GrpcStreamCallout, unarySink, type GrpcCalloutSink, type GrpcTarget } from '../grpc-callout.ts';
import { parseServiceRef } from '../grpc-service.ts';
import { decodePairs } from '../pairs.ts';
import { encodeUtf8 } from '../text.ts';
import type { HeaderList } from '../types.ts';
import type { WasmVm } from '../vm.ts';
import { rootOf } from './context-access.ts';
import type { ImportGroup } from './index.ts';
import { logFromGuest } from './logging.ts';

const isCallToken = (t: number) => (t & 3) === 1;
const isStreamToken = (t: number) => (t & 3) === 2;

/** Delivers a callout's events to the root context, the way Envoy's Context wrappers do. */
function sinkFor(vm: WasmVm, root: RootContext, token: number, stream: boolean): GrpcCalloutSink {
  const live = () => !vm.failed && !root.deleted && root.grpc.has(token);
  const withMetadata = (type: 4 | 5, entries: HeaderList, fn: string) => {
    if (!live()) return;
    root.grpcMetadata = { type, entries };
    try {
      vm.call(root, fn, root.id, token, entries.length);
    } finally {
      root.grpcMetadata = null;
    }
  };
  return {
    initialMetadata: (md) => withMetadata(4, md, 'proxy_on_grpc_receive_initial_metadata'),
    trailingMetadata: (md) => withMetadata(5, md, 'proxy_on_grpc_receive_trailing_metadata'),
    message: (m) => {
      if (!live()) return;
      if (!stream) root.grpc.delete(token); // a unary call is over once its answer arrives
      root.grpcMessage = m;
      try {
        vm.call(root, 'proxy_on_grpc_receive', root.id, token, m.length);
      } finally {
        root.grpcMessage = null;
      }
    },
    close: (status, message) => {
      if (!live()) return;
      const entry = root.grpc.get(token)!;
      entry.remoteClosed = true;
      if (!stream || entry.localClosed) root.grpc.delete(token);
      root.status = { code: status, message: encodeUtf8(message) };
      try {
        vm.call(root, 'proxy_on_grpc_close', root.id, token, status);
      } finally {
        root.status = { code: status, message: new Uint8Array(0) }; // Envoy clears the message, keeps the code
      }
    },
  };
}

interface Opened { root: RootContext; target: GrpcTarget }

/** Resolves the service and reads the strings; a WasmResult when the call must be refused. */
function open(vm: WasmVm, sPtr: number, sLen: number, snPtr: number, snLen: number, mPtr: number, mLen: number, mdPtr: number, mdLen: number): Opened | WasmResult {
  const ctx = vm.effective;
  const service = vm.copy(sPtr, sLen);
  const serviceName = vm.string(snPtr, snLen);
  const method = vm.string(mPtr, mLen);
  const metadata = decodePairs(vm.bytes(mdPtr, mdLen)) ?? [];
  if (!ctx) return WasmResult.BadArgument;
  const ref = parseServiceRef(service);
  let cluster: string;
  let authority: string;
  if (ref.kind === 'cluster') {
    // Not a GrpcService message: a cluster name, which must exist (Envoy answers ParseFailure).
    if (!vm.services.clusters.has(ref.name)) return WasmResult.ParseFailure;
    cluster = authority = ref.name;
  } else {
    // A serialized GrpcService: only envoy_grpc is supported here. Envoy refuses to start a call to a cluster
    // it does not know with InternalFailure (checked); without envoy_grpc its client cannot be built.
    if (ref.cluster === null) return WasmResult.BadArgument;
    if (!vm.services.clusters.has(ref.cluster)) return WasmResult.InternalFailure;
    cluster = ref.cluster;
    authority = ref.authority || ref.cluster;
  }
  if (!vm.services.platform.grpcStream) {
    logFromGuest(vm, 4, 'meshplug host: this platform has no gRPC transport');
    return WasmResult.InternalFailure;
  }
  return { root: rootOf(ctx), target: { url: vm.services.clusters.get(cluster)!, authority, service: serviceName, method, metadata } };
}

function start(vm: WasmVm, o: Opened, token: number, stream: boolean, timeoutMs: number, message?: Uint8Array): void {
  const sink = sinkFor(vm, o.root, token, stream);
  const callout = new GrpcStreamCallout(vm.services.platform, stream ? sink : unarySink(sink));
  const entry: GrpcEntry = { callout, localClosed: false, remoteClosed: false };
  o.root.grpc.set(token, entry);
  callout.start(o.target, timeoutMs);
  if (message) callout.send(message, true);
}

export function grpcImports(vm: WasmVm): ImportGroup {
  const entryOf = (token: number): { root: RootContext; entry: GrpcEntry | undefined } | null => {
    const ctx = vm.effective;
    if (!ctx) return null;
    const root = rootOf(ctx);
    return { root, entry: root.grpc.get(token) };
  };
  return {
    proxy_grpc_call(sPtr: number, sLen: number, snPtr: number, snLen: number, mPtr: number, mLen: number, mdPtr: number, mdLen: number,
      msgPtr: number, msgLen: number, timeoutMs: number, retToken: number) {
      const o = open(vm, sPtr, sLen, snPtr, snLen, mPtr, mLen, mdPtr, mdLen);
      if (typeof o === 'number') return o;
      const message = vm.copy(msgPtr, msgLen);
      const token = vm.newGrpcCallId();
      vm.writeU32(retToken, token);
      start(vm, o, token, false, timeoutMs >>> 0, message);
      return WasmResult.Ok;
    },
    proxy_grpc_stream(sPtr: number, sLen: number, snPtr: number, snLen: number, mPtr: number, mLen: number, mdPtr: number, mdLen: number, retToken: number) {
      const o = open(vm, sPtr, sLen, snPtr, snLen, mPtr, mLen, mdPtr, mdLen);
      if (typeof o === 'number') return o;
      const token = vm.newGrpcStreamId();
      vm.writeU32(retToken, token);
      start(vm, o, token, true, 0);
      return WasmResult.Ok;
    },
    proxy_grpc_send(token: number, ptr: number, len: number, endStream: number) {
      token >>>= 0;
      const message = vm.copy(ptr, len);
      if (!isStreamToken(token)) return WasmResult.BadArgument;
      const found = entryOf(token);
      if (!found?.entry) return WasmResult.NotFound;
      found.entry.callout.send(message, endStream !== 0);
      return WasmResult.Ok;
    },
    proxy_grpc_close(token: number) {
      token >>>= 0;
      if (!isCallToken(token) && !isStreamToken(token)) return WasmResult.BadArgument;
      const found = entryOf(token);
      if (!found?.entry) return WasmResult.NotFound;
      const { root, entry } = found;
      if (isCallToken(token)) {
        entry.callout.cancel(); // closing a unary call cancels it
        root.grpc.delete(token);
      } else {
        entry.callout.closeSend();
        if (entry.remoteClosed) root.grpc.delete(token);
        else entry.localClosed = true;
      }
      return WasmResult.Ok;
    },
    proxy_grpc_cancel(token: number) {
      token >>>= 0;
      if (!isCallToken(token) && !isStreamToken(token)) return WasmResult.BadArgument;
      const found = entryOf(token);
      if (!found?.entry) return WasmResult.NotFound;
      found.entry.callout.cancel();
      found.root.grpc.delete(token);
      return WasmResult.Ok;
    },
  };
}
