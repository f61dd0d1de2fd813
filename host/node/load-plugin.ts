// Reads and compiles a plugin module from disk into a PluginSpec, with clear errors for missing files and
// corrupt modules.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ModuleLoadError } from '../core/module-check.ts';
import { capLinearMemory } from '../core/wasm-binary.ts';
import type { FailurePolicy, PluginSpec } from '../core/types.ts';

export interface PluginFileOptions {
  file: string;
  configuration?: string | Uint8Array;
  name?: string;
  rootId?: string;
  vmId?: string;
  vmConfiguration?: string;
  failurePolicy?: FailurePolicy;
  legacyFailOpen?: boolean;
  environment?: Record<string, string>;
}

export async function loadPluginFile(o: PluginFileOptions): Promise<PluginSpec> {
  let code: Uint8Array;
  try {
    code = new Uint8Array(await readFile(o.file));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ModuleLoadError(`cannot read plugin ${o.file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
  let module: WebAssembly.Module;
  try {
    // Envoy's V8 caps linear memory at 1 GiB; cap the module the same way so runaway growth fails alike.
    module = await WebAssembly.compile(cappedMemory(code) as Uint8Array<ArrayBuffer>);
  } catch (e) {
    throw new ModuleLoadError(`${o.file} is not a valid Wasm module: ${(e as Error).message}`);
  }
  return pluginSpec(code, module, o);
}

function cappedMemory(code: Uint8Array): Uint8Array {
  try {
    return capLinearMemory(code, 16384);
  } catch {
    return code; // malformed: let the compiler report it
  }
}

/** A PluginSpec from module bytes already in memory (tests compile WAT fixtures this way). */
export async function pluginFromBytes(code: Uint8Array, o: Omit<PluginFileOptions, 'file'> & { name: string }): Promise<PluginSpec> {
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(cappedMemory(code) as Uint8Array<ArrayBuffer>);
  } catch (e) {
    throw new ModuleLoadError(`${o.name} is not a valid Wasm module: ${(e as Error).message}`);
  }
  return pluginSpec(code, module, { ...o, file: `${o.name}.wasm` });
}

function pluginSpec(code: Uint8Array, module: WebAssembly.Module, o: PluginFileOptions): PluginSpec {
  const enc = new TextEncoder();
  return {
    name: o.name ?? basename(o.file).replace(/\.wasm$/, ''),
    rootId: o.rootId ?? '',
    vmId: o.vmId ?? '',
    module,
    code,
    configuration: typeof o.configuration === 'string' ? enc.encode(o.configuration) : (o.configuration ?? new Uint8Array(0)),
    vmConfiguration: enc.encode(o.vmConfiguration ?? ''),
    failurePolicy: o.failurePolicy ?? 'FAIL_CLOSED',
    legacyFailOpen: o.legacyFailOpen,
    environment: o.environment,
  };
}
