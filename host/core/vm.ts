// One instance of a module: linear memory access, the allocator protocol, context registry, the effective
// context, and calling exports the way proxy-wasm-cpp-host does (a trap fails the whole VM).
import { MetricType, WasmResult, logLevelNames, type AbiVersion } from './abi.ts';
import { ModuleLoadError } from './module-check.ts';
import { RootContext, type Context } from './contexts.ts';
import { buildImports } from './imports/index.ts';
import type { HostServices } from './services.ts';
import type { Stat } from './stats.ts';
import type { PluginSpec } from './types.ts';
import { decodeUtf8 } from './text.ts';

/** Thrown by memory helpers on an out-of-range guest pointer; host functions turn it into InvalidMemoryAccess. */
export class GuestMemoryError extends Error {}
/** A host call that is not allowed in the current phase (e.g. proxy_define_metric inside _initialize). */
export class RestrictedCallback extends Error { constructor() { super('restricted_callback'); this.name = 'Error'; } }

export interface VmSpec {
  vmId: string;
  module: WebAssembly.Module;
  vmConfiguration: Uint8Array;
  environment: Record<string, string>;
  abi: AbiVersion;
  exportNames: Set<string>;
}

type ExportFn = (...args: number[]) => number | undefined;

/** Imports allowed while `_initialize`/`_start` runs (fact sheet §3.1 step 6). */
const startRestriction = new Set(['proxy_log', 'fd_write', 'args_sizes_get', 'args_get', 'environ_sizes_get', 'environ_get',
  'clock_time_get', 'clock_res_get', 'random_get', 'fd_prestat_get', 'fd_prestat_dir_name', 'fd_fdstat_get', 'fd_fdstat_set_flags', 'poll_oneoff']);
/** Imports allowed while the allocator runs (fact sheet §2). */
const allocatorRestriction = new Set(['proxy_log', 'fd_write', 'clock_time_get', 'poll_oneoff']);

export class WasmVm {
  instance!: WebAssembly.Instance;
  private memory!: WebAssembly.Memory;
  private buffer: ArrayBuffer | SharedArrayBuffer | null = null;
  private u8 = new Uint8Array(0);
  private dv = new DataView(new ArrayBuffer(0));
  private allocFn!: (n: number) => number;
  readonly exp: Record<string, ExportFn | undefined> = {};
  failed: string | null = null;
  readonly contexts = new Map<number, Context>();
  private nextContextId = 1;
  effective: Context | null = null;
  restriction: Set<string> | null = null;
  readonly metrics = new Map<number, Stat>();
  private metricCounts = [0, 0, 0];
  private nextCallIndex = 1;
  private nextGrpcCallIndex = 1;
  private nextGrpcStreamIndex = 1;
  readonly roots: RootContext[] = [];

  constructor(readonly services: HostServices, readonly spec: VmSpec, readonly worker: number) {}

  /** Instantiates and runs the start function. Throws ModuleLoadError with Envoy's message on failure. */
  load(): void {
    try {
      this.instance = new WebAssembly.Instance(this.spec.module, buildImports(this) as unknown as WebAssembly.Imports);
    } catch (e) {
      throw new ModuleLoadError([`Failed to load Wasm module: ${(e as Error).message}`, 'Wasm VM failed Failed to initialize Wasm code']);
    }
    const ex = this.instance.exports as Record<string, unknown>;
    const mem = ex.memory;
    if (!(mem instanceof WebAssembly.Memory)) throw new ModuleLoadError(['Wasm VM failed Wasm module has no exported memory', 'Wasm VM failed Failed to initialize Wasm code']);
    this.memory = mem;
    for (const [k, v] of Object.entries(ex)) if (typeof v === 'function') this.exp[k] = v as ExportFn;
    const alloc = this.exp.malloc ?? this.exp.proxy_on_memory_allocate; // malloc wins, as in cpp-host
    if (!alloc) throw new ModuleLoadError('Wasm VM failed Wasm module is missing malloc function.');
    this.allocFn = alloc as (n: number) => number;
    const start = this.exp._initialize ? '_initialize' : this.exp._start ? '_start' : null;
    if (start) {
      this.restriction = startRestriction;
      try {
        this.exp[start]!();
        if (start === '_initialize' && this.exp.main) this.exp.main(0, 0);
      } catch (e) {
        this.restriction = null;
        this.failed = `Function: ${start} failed: Uncaught ${errorText(e)}`;
        throw new ModuleLoadError([this.failed, 'Wasm VM failed Failed to initialize Wasm code']);
      }
      this.restriction = null;
    }
  }

  // ---- memory ----
  private view(): void {
    if (this.buffer !== this.memory.buffer) {
      this.buffer = this.memory.buffer;
      this.u8 = new Uint8Array(this.buffer);
      this.dv = new DataView(this.buffer);
    }
  }

  memoryBytes(): number { return this.memory.buffer.byteLength; }

  /** A view (not a copy) of guest memory; valid until the guest runs again. */
  bytes(ptr: number, len: number): Uint8Array {
    this.view();
    ptr >>>= 0; len >>>= 0;
    if (ptr + len > this.u8.length) throw new GuestMemoryError();
    return this.u8.subarray(ptr, ptr + len);
  }

  copy(ptr: number, len: number): Uint8Array { return this.bytes(ptr, len).slice(); }

  string(ptr: number, len: number): string {
    this.view();
    ptr >>>= 0; len >>>= 0;
    if (ptr + len > this.u8.length) throw new GuestMemoryError();
    return decodeUtf8(this.u8, ptr, ptr + len);
  }

  writeU32(ptr: number, v: number): void {
    this.view();
    ptr >>>= 0;
    if (ptr + 4 > this.u8.length) throw new GuestMemoryError();
    this.dv.setUint32(ptr, v >>> 0, true);
  }

  writeU64(ptr: number, v: bigint): void {
    this.view();
    ptr >>>= 0;
    if (ptr + 8 > this.u8.length) throw new GuestMemoryError();
    this.dv.setBigUint64(ptr, BigInt.asUintN(64, v), true);
  }

  readU32(ptr: number): number {
    this.view();
    ptr >>>= 0;
    if (ptr + 4 > this.u8.length) throw new GuestMemoryError();
    return this.dv.getUint32(ptr, true);
  }

  /**
   * Hands `data` to the guest: one allocator call of exactly its size, then writes pointer and length to the
   * out-params. Empty data → 0/0 without allocating. Returns InvalidMemoryAccess if the allocator fails.
   */
  returnBytes(data: Uint8Array, retPtr: number, retLen: number): WasmResult {
    return this.returnWritten(data.length, copyInto, data, retPtr, retLen);
  }

  /**
   * `returnBytes` for data the host serializes straight into guest memory (no intermediate buffer):
   * `write(arg, memory, at)` fills the `size` bytes the allocator returned.
   */
  returnWritten<A>(size: number, write: (arg: A, memory: Uint8Array, at: number) => void, arg: A, retPtr: number, retLen: number): WasmResult {
    if (size === 0) {
      this.writeU32(retPtr, 0);
      this.writeU32(retLen, 0);
      return WasmResult.Ok;
    }
    const prev = this.restriction;
    this.restriction = allocatorRestriction;
    let ptr: number;
    try {
      ptr = this.allocFn(size) >>> 0;
    } finally {
      this.restriction = prev;
    }
    this.view();
    if (ptr === 0 || ptr + size > this.u8.length) return WasmResult.InvalidMemoryAccess;
    write(arg, this.u8, ptr);
    this.writeU32(retPtr, ptr);
    this.writeU32(retLen, size);
    return WasmResult.Ok;
  }

  // ---- contexts ----
  newContextId(): number { return this.nextContextId++; }

  newCallId(): number { return 4 * this.nextCallIndex++; }

  /** gRPC call tokens are 1 mod 4 and stream tokens 2 mod 4 (5, 9, … and 6, 10, …), as cpp-host numbers them. */
  newGrpcCallId(): number { return 4 * this.nextGrpcCallIndex++ + 1; }
  newGrpcStreamId(): number { return 4 * this.nextGrpcStreamIndex++ + 2; }

  defineMetric(type: MetricType, name: string): number {
    const stat = this.services.stats.define(type, name);
    const id = 4 * ++this.metricCounts[type]! + type;
    this.metrics.set(id, stat);
    return id;
  }

  /**
   * Calls an export with `ctx` as the effective context. Returns the export's result, or `null` when the VM
   * is failed or the call trapped (the trap fails the VM, as in Envoy).
   */
  call(ctx: Context | null, name: string, ...args: number[]): number | undefined | null {
    if (this.failed) return null;
    const fn = this.exp[name];
    if (!fn) return undefined;
    const prev = this.effective;
    this.effective = ctx;
    try {
      return fn(...args);
    } catch (e) {
      this.fail(`Function: ${name} failed: Uncaught ${errorText(e)}`, e);
      return null;
    } finally {
      this.effective = prev;
    }
  }

  /** `call` for exports of at most three parameters, without the rest-argument array (the per-request path). */
  call3(ctx: Context | null, name: string, a: number, b: number, c: number): number | undefined | null {
    if (this.failed) return null;
    const fn = this.exp[name];
    if (!fn) return undefined;
    const prev = this.effective;
    this.effective = ctx;
    try {
      return fn(a, b, c);
    } catch (e) {
      this.fail(`Function: ${name} failed: Uncaught ${errorText(e)}`, e);
      return null;
    } finally {
      this.effective = prev;
    }
  }

  fail(message: string, error?: unknown): void {
    if (this.failed) return;
    this.failed = message;
    const root = this.roots[0];
    const prefix = root ? logPrefix(root.plugin, root.vm, false) : '';
    this.services.log({ level: 'error', message, prefix, source: 'host' });
    const frames = wasmFrames(error);
    if (frames.length) this.services.log({ level: 'error', message: `Proxy-Wasm plugin in-VM backtrace:\n${frames.join('\n')}`, prefix, source: 'host' });
    this.services.onVmFailed(this);
  }

  /** Creates a root context for `plugin` and runs context_create, vm_start and configure. */
  startRoot(plugin: PluginSpec): RootContext {
    const root = new RootContext(this.newContextId(), this, plugin);
    this.contexts.set(root.id, root);
    this.roots.push(root);
    this.call(root, 'proxy_on_context_create', root.id, 0);
    const vmStart = this.call(root, 'proxy_on_vm_start', root.id, this.spec.vmConfiguration.length);
    if (vmStart === null || vmStart === 0) throw new ModuleLoadError([...(this.failed ? [this.failed] : []), 'Wasm VM failed Failed to start base Wasm']);
    root.pluginConfigReadable = true;
    const configured = this.call(root, 'proxy_on_configure', root.id, plugin.configuration.length);
    root.pluginConfigReadable = false;
    if (configured === null || configured === 0) throw new ModuleLoadError([...(this.failed ? [this.failed] : []), 'Wasm VM failed Failed to configure base Wasm plugin']);
    return root;
  }

  /** Drains a root context: on_done (0 = the plugin calls proxy_done later), then on_delete. */
  stopRoot(root: RootContext): void {
    root.cancelTick?.();
    root.cancelTick = null;
    const r = this.call(root, 'proxy_on_done', root.id);
    if (r === 0) root.donePending = true;
    else this.deleteRoot(root);
  }

  deleteRoot(root: RootContext): void {
    if (root.deleted) return;
    root.deleted = true;
    // Envoy cancels a context's outstanding gRPC calls and streams when it goes away.
    for (const e of root.grpc.values()) e.callout.cancel();
    root.grpc.clear();
    this.call(root, 'proxy_on_delete', root.id);
    this.contexts.delete(root.id);
  }

  logLevelName(level: number): string { return logLevelNames[level] ?? 'info'; }
}

function copyInto(data: Uint8Array, memory: Uint8Array, at: number): void {
  memory.set(data, at);
}

/** The Wasm frames of a trap's stack, numbered like Envoy's in-VM backtrace. */
function wasmFrames(e: unknown): string[] {
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack.split('\n') : [];
  return stack.filter((l) => l.includes('wasm://') || l.includes('wasm-function')).map((l, i) => `  ${i}: ${l.trim().replace(/^at /, '')}`);
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

/** Envoy's log prefix: `<plugin_name> <root_id> <vm_id>` with empty parts left out; plugin name only for streams. */
export function logPrefix(plugin: PluginSpec, vm: WasmVm, stream: boolean): string {
  return [stream ? plugin.name : '', plugin.rootId, vm.spec.vmId].filter((s) => s !== '').join(' ');
}
