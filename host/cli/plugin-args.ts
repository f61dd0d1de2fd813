// The plugin chain from `--plugin F.wasm [--config JSON|@FILE] [--root-id ID]` options: the n-th --config and
// --root-id belong to the n-th --plugin. Shared by `request` and `bench`.
import type { FailurePolicy } from '../core/types.ts';
import type { PluginFileOptions } from '../node/load-plugin.ts';
import { valueOrFile } from './args.ts';

export interface PluginArgValues {
  plugin?: string[];
  config?: string[];
  'root-id'?: string[];
}

export async function pluginChainFromArgs(v: PluginArgValues, usage: string, failurePolicy?: FailurePolicy): Promise<PluginFileOptions[]> {
  const plugins = v.plugin ?? [];
  if (plugins.length === 0) throw new Error(`--plugin is required\n${usage}`);
  const configs = v.config ?? [];
  if (configs.length > plugins.length) throw new Error('more --config values than --plugin values');
  return Promise.all(plugins.map(async (file, i) => ({
    file,
    configuration: configs[i] !== undefined ? await valueOrFile(configs[i]!) : undefined,
    rootId: v['root-id']?.[i],
    failurePolicy,
  })));
}
