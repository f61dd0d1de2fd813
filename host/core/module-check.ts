// Refuses what Envoy 1.40 refuses at load time, with Envoy's messages (envoy-checked.md "Loading a module").
import { envHostFunctions, exportSignatures, wasiFunctions, type AbiVersion } from './abi.ts';
import { formatFuncType, readModuleShape, WasmFormatError, type FuncType, type ValType } from './wasm-binary.ts';

/** A module or plugin Envoy would refuse; `lines` are the log lines Envoy prints for it, in order. */
export class ModuleLoadError extends Error {
  readonly lines: string[];
  constructor(lines: string | string[]) {
    const all = typeof lines === 'string' ? [lines] : lines;
    super(all.join('\n'));
    this.lines = all;
  }
}

const failedLoad = 'Wasm VM failed Failed to load Wasm code';
const failedInit = 'Wasm VM failed Failed to initialize Wasm code';

function parseSig(sig: string): FuncType {
  const [p, r] = sig.split('->') as [string, string];
  const t = (c: string): ValType => (c === 'I' ? 'i64' : 'i32');
  return { params: [...p].map(t), results: [...r].map(t) };
}

function sameType(a: FuncType | undefined, b: FuncType): boolean {
  return !!a && a.params.join() === b.params.join() && a.results.join() === b.results.join();
}

export interface CheckedModule {
  abi: AbiVersion;
  exportNames: Set<string>;
}

const markers: Record<string, AbiVersion> = {
  proxy_abi_version_0_1_0: '0_1_0',
  proxy_abi_version_0_2_0: '0_2_0',
  proxy_abi_version_0_2_1: '0_2_1',
};

/** Throws ModuleLoadError with Envoy's wording when Envoy would refuse to load `bytes`. */
export function checkModule(bytes: Uint8Array): CheckedModule {
  let shape;
  try {
    shape = readModuleShape(bytes);
  } catch (e) {
    if (e instanceof WasmFormatError) throw new ModuleLoadError([`Wasm VM failed ${e.message}`, failedLoad]);
    throw e;
  }
  // The first marker in export order wins (proxy-wasm-cpp-host bytecode_util).
  const marker = shape.exports.find((e) => e.kind === 'function' && e.name.startsWith('proxy_abi_version_'));
  const abi = marker ? markers[marker.name] : undefined;
  if (!abi) throw new ModuleLoadError(['Wasm VM failed Missing or unknown Proxy-Wasm ABI version', failedLoad]);

  for (const imp of shape.imports) {
    const qualified = `${imp.module}.${imp.name}`;
    if (imp.kind === 'global') throw new ModuleLoadError([`Failed to load Wasm module due to a missing import: ${qualified}`, failedInit]);
    if (imp.kind !== 'function') continue; // memories and tables are created from the import's limits
    let want: string | undefined;
    if (imp.module === 'env') {
      const host = envHostFunctions[imp.name];
      if (host && (!host.abi || host.abi.includes(abi))) want = host.sig;
    } else if (imp.module === 'wasi_snapshot_preview1' || imp.module === 'wasi_unstable') {
      want = wasiFunctions[imp.name];
    }
    if (!want) throw new ModuleLoadError([`Failed to load Wasm module due to a missing import: ${qualified}`, failedInit]);
    const hostType = parseSig(want);
    if (!sameType(imp.type, hostType)) {
      throw new ModuleLoadError([`import type mismatch: ${qualified}, want: ${formatFuncType(imp.type)}, but host exports: ${formatFuncType(hostType)}`, failedInit]);
    }
  }

  const exportNames = new Set<string>();
  for (const exp of shape.exports) {
    exportNames.add(exp.name);
    if (exp.kind !== 'function') continue;
    let sig = exportSignatures[exp.name];
    if (abi === '0_1_0' && (exp.name === 'proxy_on_request_headers' || exp.name === 'proxy_on_response_headers')) sig = 'ii->i';
    if (!sig) continue;
    const want = parseSig(sig);
    if (!sameType(exp.type, want)) {
      throw new ModuleLoadError(`Bad function signature for: ${exp.name}, want: ${formatFuncType(want)}, but the module exports: ${formatFuncType(exp.type)}`);
    }
  }
  if (!exportNames.has('malloc') && !exportNames.has('proxy_on_memory_allocate')) {
    throw new ModuleLoadError('Wasm VM failed Wasm module is missing malloc function.');
  }
  return { abi, exportNames };
}
