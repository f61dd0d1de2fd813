// Node side of body.wasm: builds assembly/seclang/body/exports.ts with asc's JS API (cached under
// node_modules/.cache/meshplug/ by a hash of the sources it compiles), and decodes run()'s record.
import { buildCachedModule } from '../../host/build/cached-module.ts';

const ENTRY = 'assembly/seclang/body/exports.ts';
// Every directory whose sources go into the build (the hash covers them all).
const SOURCE_DIRS = ['assembly/seclang/body', 'assembly/seclang', 'assembly/json', 'assembly/encoding'];
// As the plugins are built: the minimal runtime (body.wasm collects between bodies, as a plugin does
// between requests) and no env.abort (Envoy lacks it): failed checks become `unreachable`, a trap.
const ASC_OPTIONS = ['-O3', '--runtime', 'minimal', '--noAssert', '--use', 'abort=', '--exportRuntime'];

export type Proc = 'urlencoded' | 'json' | 'xml' | 'multipart';
const PROC_CODE: Record<Proc, number> = { urlencoded: 0, json: 1, xml: 2, multipart: 3 };

export type Pair = [Uint8Array, Uint8Array];

export const FLAG_NAMES = [
  'strictError', 'unmatchedBoundary', 'boundaryQuoted', 'boundaryWhitespace', 'dataBefore', 'dataAfter',
  'headerFolding', 'lfLine', 'crlfLfLines', 'missingSemicolon', 'invalidQuoting', 'invalidPart',
  'invalidHeaderFolding', 'fileLimitExceeded', 'duplicatePartHeader',
] as const;
export type FlagName = (typeof FLAG_NAMES)[number];

export interface BodyResult {
  error: string;
  args: Pair[];
  files: Pair[];
  filesNames: Pair[];
  filesSizes: Pair[];
  partHeaders: Pair[];
  names: Pair[];
  filenames: Pair[];
  /** XML:/* as ['/*', text], XML://@* as ['//@*', value]. */
  xml: Pair[];
  combinedSize: string;
  flags: Record<FlagName, number>;
}

interface Exports {
  memory: WebAssembly.Memory;
  bodyBuffer(n: number): number;
  contentTypeBuffer(n: number): number;
  run(proc: number, depth: number): number;
  resultLength(): number;
  repeat(proc: number, depth: number, times: number): number;
}

export const buildBodyWasm = (): Promise<Uint8Array> =>
  buildCachedModule({ tag: 'seclang-body', entry: ENTRY, options: ASC_OPTIONS, sourceDirs: SOURCE_DIRS });

export class BodyProcessors {
  private constructor(private readonly x: Exports) {}

  static async load(): Promise<BodyProcessors> {
    const module = await WebAssembly.compile((await buildBodyWasm()) as Uint8Array<ArrayBuffer>);
    const instance = await WebAssembly.instantiate(module, {});
    return new BodyProcessors(instance.exports as unknown as Exports);
  }

  /** Imports of the built module (for the Envoy import check). */
  static async imports(): Promise<string[]> {
    const module = await WebAssembly.compile((await buildBodyWasm()) as Uint8Array<ArrayBuffer>);
    return WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
  }

  private load(body: Uint8Array, contentType: string): void {
    const bp = this.x.bodyBuffer(body.length);
    new Uint8Array(this.x.memory.buffer, bp, body.length).set(body);
    const ct = Buffer.from(contentType, 'latin1');
    const cp = this.x.contentTypeBuffer(ct.length);
    new Uint8Array(this.x.memory.buffer, cp, ct.length).set(ct);
  }

  run(proc: Proc, body: Uint8Array, contentType = '', depth = 1024): BodyResult {
    this.load(body, contentType);
    const ptr = this.x.run(PROC_CODE[proc], depth);
    const rec = new Uint8Array(this.x.memory.buffer, ptr, this.x.resultLength()).slice();
    return decode(rec);
  }

  /** Parses the body `times` times inside the module (no reporting); returns the items found. */
  repeat(proc: Proc, body: Uint8Array, contentType: string, times: number, depth = 1024): number {
    this.load(body, contentType);
    return this.x.repeat(PROC_CODE[proc], depth, times);
  }
}

function decode(rec: Uint8Array): BodyResult {
  const view = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
  let at = 0;
  const u32 = (): number => {
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  const bytes = (): Uint8Array => {
    const n = u32();
    const b = rec.subarray(at, at + n);
    at += n;
    return b;
  };
  const list = (): Pair[] => {
    const n = u32();
    const out: Pair[] = [];
    for (let i = 0; i < n; i++) out.push([bytes(), bytes()]);
    return out;
  };
  const error = Buffer.from(bytes()).toString('latin1');
  const args = list();
  const files = list();
  const filesNames = list();
  const filesSizes = list();
  const partHeaders = list();
  const names = list();
  const filenames = list();
  const xml = list();
  const combinedSize = Buffer.from(bytes()).toString('latin1');
  const nFlags = u32();
  const flags = {} as Record<FlagName, number>;
  for (let i = 0; i < nFlags; i++) flags[FLAG_NAMES[i]] = u32();
  return { error, args, files, filesNames, filesSizes, partHeaders, names, filenames, xml, combinedSize, flags };
}

/** Pairs as latin1 strings, for readable assertions. */
export function text(pairs: Pair[]): [string, string][] {
  return pairs.map(([n, v]) => [Buffer.from(n).toString('latin1'), Buffer.from(v).toString('latin1')]);
}
