// A deliberately small Proxy-Wasm host for the SDK's own tests: enough of Envoy's behaviour (header
// maps, config buffer, metrics, logs, properties) to drive hello and probe through full request cycles
// and watch the module's memory. The real, Envoy-faithful host lives in host/core.
import { ENVOY_IMPORTS } from '../../host/build/wasm-imports.ts';

type Pairs = [string, string][];

export interface MiniRequest {
  requestHeaders: Pairs;
  responseHeaders: Pairs;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export class MiniHost {
  logs: { level: number; message: string }[] = [];
  metrics = new Map<number, { name: string; value: bigint }>();
  properties = new Map<string, Uint8Array>();
  logLevel = 2;
  private config = new Uint8Array();
  private maps = new Map<number, Pairs>();
  private instance!: WebAssembly.Instance;
  private nextId = 1;
  private rootId = 0;

  private get mem() { return new DataView((this.instance.exports.memory as WebAssembly.Memory).buffer); }
  private bytes(p: number, n: number) { return new Uint8Array((this.instance.exports.memory as WebAssembly.Memory).buffer, p, n); }
  private str(p: number, n: number) { return dec.decode(this.bytes(p, n)); }
  private give(data: Uint8Array, retPtr: number, retLen: number): number {
    let p = 0;
    if (data.length) {
      p = (this.instance.exports.malloc as (n: number) => number)(data.length);
      if (!p) return 6;
      this.bytes(p, data.length).set(data);
    }
    this.mem.setUint32(retPtr, p, true);
    this.mem.setUint32(retLen, data.length, true);
    return 0;
  }

  get memoryBytes(): number { return (this.instance.exports.memory as WebAssembly.Memory).buffer.byteLength; }

  async load(wasm: Uint8Array<ArrayBuffer>): Promise<void> {
    const host = this;
    const impl: Record<string, (...a: never[]) => number> = {
      proxy_log: (level: number, p: number, n: number) => { host.logs.push({ level, message: host.str(p, n) }); return 0; },
      proxy_get_log_level: (ret: number) => { host.mem.setUint32(ret, host.logLevel, true); return 0; },
      proxy_get_buffer_bytes: (type: number, start: number, max: number, rp: number, rl: number) => {
        if (type !== 7) return 1;
        return host.give(host.config.subarray(start, start + max), rp, rl);
      },
      proxy_get_property: (p: number, n: number, rp: number, rl: number) => {
        const v = host.properties.get(host.str(p, n).split('\0').join('.'));
        return v ? host.give(v, rp, rl) : 1;
      },
      proxy_add_header_map_value: (t: number, kp: number, kl: number, vp: number, vl: number) => {
        const m = host.maps.get(t);
        if (!m) return 2;
        m.push([host.str(kp, kl).toLowerCase(), host.str(vp, vl)]);
        return 0;
      },
      proxy_replace_header_map_value: (t: number, kp: number, kl: number, vp: number, vl: number) => {
        const m = host.maps.get(t);
        if (!m) return 2;
        const k = host.str(kp, kl).toLowerCase();
        const kept = m.filter(([n]) => n !== k);
        m.length = 0;
        m.push(...kept, [k, host.str(vp, vl)]);
        return 0;
      },
      proxy_get_header_map_value: (t: number, kp: number, kl: number, rp: number, rl: number) => {
        const m = host.maps.get(t);
        if (!m) return 2;
        const hit = m.find(([n]) => n === host.str(kp, kl).toLowerCase());
        return hit ? host.give(enc.encode(hit[1]), rp, rl) : 1;
      },
      proxy_define_metric: (type: number, p: number, n: number, ret: number) => {
        const id = 4 * (host.metrics.size + 1) + type;
        host.metrics.set(id, { name: host.str(p, n), value: 0n });
        host.mem.setUint32(ret, id, true);
        return 0;
      },
      proxy_increment_metric: ((id: number, delta: bigint) => {
        const m = host.metrics.get(id);
        if (!m) return 1;
        if (delta <= 0n) return 2;
        m.value += delta;
        return 0;
      }) as never,
      proxy_set_effective_context: () => 0,
    };
    const env: WebAssembly.ModuleImports = {};
    const wasi: WebAssembly.ModuleImports = {};
    for (const full of ENVOY_IMPORTS) {
      const [mod, name] = full.split('.');
      const f = (impl[name] ?? (() => 12 /* Unimplemented in this mini host */)) as (...a: unknown[]) => number;
      (mod === 'env' ? env : wasi)[name] = f;
    }
    const instance = await WebAssembly.instantiate(new WebAssembly.Module(wasm), { env, wasi_snapshot_preview1: wasi });
    this.instance = instance;
    // A reactor's _initialize; a command's _start only when there is no _initialize (Envoy's rule).
    const start = (instance.exports._initialize ?? instance.exports._start) as (() => void) | undefined;
    if (start) start();
  }

  // A callback the module does not export counts as "continue" / "ok", as in Envoy.
  private call(name: string, ...args: number[]): number {
    const f = this.instance.exports[name] as ((...a: number[]) => number) | undefined;
    if (!f) return name === 'proxy_on_vm_start' || name === 'proxy_on_configure' ? 1 : 0;
    return f(...args) ?? 0;
  }

  /**
   * Creates a root context (as Envoy does for each plugin configuration, also on a config change) and
   * configures it; later requests go to it. `rootId` is what property plugin_root_id answers.
   */
  configure(config: string, rootId = ''): boolean {
    this.config = enc.encode(config);
    this.properties.set('plugin_root_id', enc.encode(rootId));
    this.rootId = this.nextId++;
    this.call('proxy_on_context_create', this.rootId, 0);
    if (!this.call('proxy_on_vm_start', this.rootId, 0)) return false;
    return this.call('proxy_on_configure', this.rootId, this.config.length) === 1;
  }

  /** The current root context id (requests use it). */
  get root(): number { return this.rootId; }
  set root(id: number) { this.rootId = id; }

  /** Drains a root context as Envoy does after a configuration change: on_done, then on_delete. */
  retire(rootId: number): void {
    this.call('proxy_on_done', rootId);
    this.call('proxy_on_delete', rootId);
  }

  /** One full HTTP stream through the plugin, Envoy's callback order. */
  request(headers: Pairs, upstreamHeaders: Pairs = [[':status', '200']]): MiniRequest {
    const id = this.nextId++;
    const req: Pairs = headers.map(([k, v]) => [k, v]);
    const resp: Pairs = upstreamHeaders.map(([k, v]) => [k, v]);
    this.call('proxy_on_context_create', id, this.rootId);
    this.maps.set(0, req);
    this.call('proxy_on_request_headers', id, req.length, 1);
    this.maps.delete(0);
    this.maps.set(2, resp);
    this.call('proxy_on_response_headers', id, resp.length, 1);
    this.maps.delete(2);
    this.call('proxy_on_log', id);
    this.call('proxy_on_done', id);
    this.call('proxy_on_delete', id);
    return { requestHeaders: req, responseHeaders: resp };
  }

  metric(name: string): bigint | undefined {
    for (const m of this.metrics.values()) if (m.name === name) return m.value;
    return undefined;
  }
}
