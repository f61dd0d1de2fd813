// The host: loads plugins the way Envoy does (check → one VM per worker per vm key → a root context per
// plugin), applies failure policies when a VM traps, and runs requests through the filter chain.
import { logLevelNames, type LogLevel } from './abi.ts';
import type { RootContext } from './contexts.ts';
import { runHttpStream, type ChainLimits } from './http-filter-chain.ts';
import { checkModule, ModuleLoadError } from './module-check.ts';
import type { Platform, UpstreamRequest, UpstreamResponse } from './platform.ts';
import type { RouteInfo } from './properties.ts';
import type { HostServices, NodeInfo } from './services.ts';
import { SharedState } from './shared-state.ts';
import { StatsStore } from './stats.ts';
import { TcpConnection, type TcpIo } from './tcp-connection.ts';
import type { ConnectionInfo, IncomingRequest, LogRecord, OutgoingResponse, PluginSpec } from './types.ts';
import { WasmVm, type VmSpec } from './vm.ts';

export interface HostOptions {
  platform: Platform;
  /** The router: sends the request to the upstream and returns its answer. */
  upstream(req: UpstreamRequest): UpstreamResponse | Promise<UpstreamResponse>;
  /** Worker threads emulated (each has its own VMs). Default 2, so state that assumes one VM shows up. */
  workers?: number;
  logLevel?: LogLevel | 'off';
  onLog?(record: LogRecord): void;
  clusters?: Record<string, string>;
  node?: Partial<NodeInfo>;
  route?: RouteInfo;
  limits?: Partial<ChainLimits>;
  /** FAIL_RELOAD back-off before a failed VM is replaced. Default 1 s, as in Envoy. */
  reloadBackoffMs?: number;
}

/** One plugin on one worker: its VM (possibly shared with other plugins) and its root context. */
export interface PluginSlot {
  spec: PluginSpec;
  vm: WasmVm;
  root: RootContext;
  failedAtMs: number | null;
}

export interface Worker {
  index: number;
  vms: Map<string, WasmVm>;
  slots: PluginSlot[];
}

function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return (h >>> 0).toString(16);
}

export class ProxyWasmHost {
  readonly stats = new StatsStore();
  readonly shared = new SharedState();
  readonly services: HostServices;
  readonly workers: Worker[] = [];
  private readonly plugins: PluginSpec[] = [];
  private nextWorker = 0;
  private nextConnectionId = 1;
  private readonly limits: ChainLimits;

  constructor(readonly options: HostOptions) {
    const level = options.logLevel ?? 'info';
    this.services = {
      platform: options.platform,
      stats: this.stats,
      shared: this.shared,
      logLevel: level === 'off' ? 6 : logLevelNames.indexOf(level),
      log: (r) => options.onLog?.(r),
      clusters: new Map(Object.entries(options.clusters ?? {})),
      node: { id: options.node?.id ?? '', cluster: options.node?.cluster ?? '', metadata: options.node?.metadata ?? {} },
      route: options.route ?? {},
      onVmFailed: (vm) => this.onVmFailed(vm),
    };
    this.limits = {
      bufferLimitBytes: options.limits?.bufferLimitBytes ?? 1024 * 1024,
      maxRequestHeadersBytes: options.limits?.maxRequestHeadersBytes ?? 60 * 1024,
      streamIdleTimeoutMs: options.limits?.streamIdleTimeoutMs ?? 300_000,
      bodyChunkBytes: options.limits?.bodyChunkBytes ?? 16 * 1024,
    };
    const n = Math.max(1, options.workers ?? 2);
    for (let i = 0; i < n; i++) this.workers.push({ index: i, vms: new Map(), slots: [] });
  }

  /**
   * Adds a plugin at the end of the chain. Throws ModuleLoadError ("Unable to create Wasm plugin <name>: …")
   * when Envoy would refuse it: a bad module, a start function that traps, vm_start/configure failing.
   */
  addPlugin(spec: PluginSpec): void {
    let checked;
    try {
      checked = checkModule(spec.code);
    } catch (e) {
      throw this.refuse(spec.name, e, false);
    }
    const vmSpec: VmSpec = {
      vmId: spec.vmId,
      module: spec.module,
      vmConfiguration: spec.vmConfiguration,
      environment: spec.environment ?? {},
      abi: checked.abi,
      exportNames: checked.exportNames,
    };
    const key = `${spec.vmId}\u0000${fnv1a(spec.vmConfiguration)}\u0000${fnv1a(spec.code)}\u0000${spec.code.length}`;
    const created: PluginSlot[] = [];
    try {
      for (const worker of this.workers) {
        let vm = worker.vms.get(key);
        if (!vm || vm.failed) {
          vm = new WasmVm(this.services, vmSpec, worker.index);
          vm.load();
          worker.vms.set(key, vm);
        }
        const root = vm.startRoot(spec);
        created.push({ spec, vm, root, failedAtMs: null });
      }
    } catch (e) {
      for (const slot of created) slot.vm.stopRoot(slot.root);
      throw this.refuse(spec.name, e, true);
    }
    created.forEach((slot, i) => this.workers[i]!.slots.push(slot));
    this.plugins.push(spec);
  }

  /**
   * A configuration change, as an updated WasmPlugin causes: a new root context on the same VM is configured
   * with the new bytes, then the old root is drained (on_done → on_delete). A refused config keeps the old one.
   */
  reconfigure(name: string, configuration: Uint8Array): void {
    const index = this.plugins.findIndex((p) => p.name === name);
    if (index < 0) throw new Error(`no plugin named ${name}`);
    const spec = { ...this.plugins[index]!, configuration };
    const fresh: RootContext[] = [];
    try {
      for (const worker of this.workers) fresh.push(worker.slots[index]!.vm.startRoot(spec));
    } catch (e) {
      fresh.forEach((r) => r.vm.stopRoot(r));
      throw this.refuse(name, e, true);
    }
    this.workers.forEach((worker, i) => {
      const slot = worker.slots[index]!;
      const old = slot.root;
      slot.root = fresh[i]!;
      slot.spec = spec;
      old.vm.stopRoot(old);
    });
    this.plugins[index] = spec;
  }

  /** Runs one request through the chain on the next worker (round robin). */
  handle(req: IncomingRequest): OutgoingResponse | Promise<OutgoingResponse> {
    const worker = this.workers[this.nextWorker]!;
    this.nextWorker = (this.nextWorker + 1) % this.workers.length;
    this.reloadFailedVms(worker);
    return runHttpStream(this.services, worker, req, this.options.upstream, this.limits);
  }

  newConnectionId(): number { return this.nextConnectionId++; }

  /**
   * A new downstream TCP connection through the plugins as network filters (in front of tcp_proxy), on the
   * next worker. The adapter feeds it socket events and moves the bytes it hands to `io`; call `start()`.
   */
  openTcpConnection(connection: ConnectionInfo, io: TcpIo): TcpConnection {
    const worker = this.workers[this.nextWorker]!;
    this.nextWorker = (this.nextWorker + 1) % this.workers.length;
    this.reloadFailedVms(worker);
    return new TcpConnection(worker, connection, io);
  }

  /**
   * Logs Envoy's lines for a refused plugin (the reason, then "Unable to create Wasm plugin <name>") and
   * returns the error to throw. `started`: the VM loaded, but vm_start/configure said no.
   */
  private refuse(name: string, e: unknown, started: boolean): ModuleLoadError {
    if (!(e instanceof ModuleLoadError)) throw e;
    const lines = [...e.lines];
    for (const l of lines) this.services.log({ level: 'error', message: l, prefix: '', source: 'host' });
    const tail = [...(started ? ['Plugin configured to fail closed failed to load'] : []), `Unable to create Wasm plugin ${name}`];
    for (const l of tail) this.services.log({ level: 'critical', message: l, prefix: '', source: 'host' });
    return new ModuleLoadError([...lines, ...tail]);
  }

  /** A host-level counter as Envoy names it (`wasm.<plugin>.<stat>`), outside the plugin's wasmcustom scope. */
  private bumpHostCounter(name: string): void {
    const stat = this.stats.defineRaw(0, name);
    stat.value += 1;
  }

  /** Linear memory of every live VM, in bytes. */
  memoryBytes(): number {
    let n = 0;
    for (const w of this.workers) for (const vm of w.vms.values()) n += vm.memoryBytes();
    return n;
  }

  close(): void {
    for (const w of this.workers) for (const s of w.slots) if (!s.vm.failed) s.vm.stopRoot(s.root);
  }

  private onVmFailed(vm: WasmVm): void {
    const now = Date.now();
    for (const w of this.workers) for (const s of w.slots) if (s.vm === vm && s.failedAtMs === null) s.failedAtMs = now;
    // Streams paused on this VM can never be resumed by it: fail them now.
    for (const ctx of vm.contexts.values()) {
      if (ctx.kind === 'stream' && ctx.resume) {
        const resume = ctx.resume;
        ctx.resume = null;
        this.services.platform.defer(() => resume('fail'));
      }
    }
  }

  /** FAIL_RELOAD: after the back-off, a failed VM is replaced by a fresh one (on_vm_start runs again). */
  private reloadFailedVms(worker: Worker): void {
    const backoff = this.options.reloadBackoffMs ?? 1000;
    for (let i = 0; i < worker.slots.length; i++) {
      const slot = worker.slots[i]!;
      if (slot.spec.failurePolicy !== 'FAIL_RELOAD' || slot.failedAtMs === null) continue;
      if (Date.now() - slot.failedAtMs < backoff) {
        this.bumpHostCounter(`wasm.${slot.spec.name}.vm_reload_backoff`);
        continue;
      }
      const failedVm = slot.vm;
      try {
        const vm = new WasmVm(this.services, failedVm.spec, worker.index);
        vm.load();
        for (const [key, v] of worker.vms) if (v === failedVm) worker.vms.set(key, vm);
        for (const s of worker.slots) {
          if (s.vm !== failedVm) continue;
          s.vm = vm;
          s.root = vm.startRoot(s.spec);
          s.failedAtMs = null;
        }
        this.bumpHostCounter(`wasm.${slot.spec.name}.vm_reload_success`);
      } catch {
        slot.failedAtMs = Date.now(); // stay failed-closed and back off again
      }
    }
  }
}
