// `meshplug bench`: N requests through a plugin in our host; ns/request and linear memory.
import { benchPlugins } from '../../node/bench-plugin.ts';
import { parseCommandArgs } from '../args.ts';
import { pluginChainFromArgs } from '../plugin-args.ts';

export const summary = 'measure ns/request and linear memory of a plugin in the meshplug host';

const usage = `usage: meshplug bench --plugin FILE.wasm [--plugin ...] [--config JSON|@FILE ...] [--requests N] [--rounds R] [--json]

Sends N requests (default 20000) per round through the plugin chain, R rounds (default 5), and prints the
median ns/request and the linear memory at start and end. --json prints
{"nsPerRequest","memoryStartBytes","memoryEndBytes","wasmBytes"}.`;

const options = {
  plugin: { type: 'string', multiple: true },
  config: { type: 'string', multiple: true },
  'root-id': { type: 'string', multiple: true },
  requests: { type: 'string' },
  rounds: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function positiveInt(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`bad --${name} '${v}': expected a positive integer`);
  return n;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, options, usage);
  if (!parsed) return 0;
  const v = parsed.values;
  const result = await benchPlugins({
    plugins: await pluginChainFromArgs(v, usage),
    requests: positiveInt('requests', v.requests, 20000),
    rounds: positiveInt('rounds', v.rounds, 5),
  });
  if (v.json) console.log(JSON.stringify(result));
  else {
    console.log(`${result.nsPerRequest} ns/request (median of rounds)`);
    console.log(`linear memory: ${result.memoryStartBytes} bytes at start, ${result.memoryEndBytes} bytes at end`);
    console.log(`module size: ${result.wasmBytes} bytes`);
  }
  return 0;
}
