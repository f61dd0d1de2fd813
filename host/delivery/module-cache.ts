// A local module cache keyed like Istio's agent (pkg/wasm/cache.go): `<dir>/<sha256(module name)>/<checksum>.wasm`,
// where the module name is the URL without tag or digest and the checksum is the manifest digest (oci://) or
// the module's sha256 (http(s)://). Istio keeps its URL → checksum index in memory; here it is a small JSON
// file, since every `meshplug envoy` run is a new process.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../oci/digest.ts';

export function defaultCacheDir(): string {
  return process.env.MESHPLUG_WASM_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'meshplug', 'wasm');
}

export class ModuleCache {
  constructor(readonly dir: string) {}

  pathFor(moduleName: string, checksum: string): string {
    return join(this.dir, sha256Hex(new TextEncoder().encode(moduleName)), `${checksum}.wasm`);
  }

  async get(moduleName: string, checksum: string): Promise<string | undefined> {
    const path = this.pathFor(moduleName, checksum);
    try {
      const bytes = await readFile(path);
      return bytes.length >= 8 ? path : undefined;
    } catch {
      return undefined;
    }
  }

  async put(moduleName: string, checksum: string, wasm: Uint8Array): Promise<string> {
    const path = this.pathFor(moduleName, checksum);
    await mkdir(join(path, '..'), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, wasm);
    await rename(tmp, path); // never leave a half-written module where Envoy could load it
    return path;
  }

  private indexPath(): string {
    return join(this.dir, 'checksums-by-url.json');
  }

  private async index(): Promise<Record<string, string>> {
    try {
      const parsed = JSON.parse(await readFile(this.indexPath(), 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  /** The checksum last pulled for exactly this URL, if any. */
  async rememberedChecksum(url: string): Promise<string | undefined> {
    const value = (await this.index())[url];
    return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? value : undefined;
  }

  async remember(url: string, checksum: string): Promise<void> {
    const index = await this.index();
    index[url] = checksum;
    await mkdir(this.dir, { recursive: true });
    await writeFile(this.indexPath(), JSON.stringify(index, null, 1));
  }
}
