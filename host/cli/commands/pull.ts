// `meshplug pull oci://... -o FILE.wasm [--sha256 DIGEST]`: fetches a module back from any of the three image
// layouts Istio accepts, checking the manifest digest before downloading, as the sidecar agent does.
import { writeFile } from 'node:fs/promises';
import { normalizeSha256, sha256Hex } from '../../oci/digest.ts';
import { pullModule } from '../../oci/pull-module.ts';
import { parseImageReference } from '../../oci/reference.ts';
import { REGISTRY_OPTIONS, REGISTRY_USAGE, registryCredentials } from '../../delivery/registry-login.ts';
import { parseCommandArgs, UsageError } from '../args.ts';

export const summary = 'fetch a Wasm module from an OCI registry (any layout Istio accepts), checking its digest';

const usage = `usage: meshplug pull oci://HOST[:PORT]/REPO[:TAG] -o FILE.wasm [--sha256 DIGEST] [options]
  -o, --output FILE     where to write the module
  --sha256 DIGEST       expected image manifest digest (a WasmPlugin's sha256 for oci://); refused if different
  --json                print the result as JSON
${REGISTRY_USAGE}`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    output: { type: 'string', short: 'o' },
    sha256: { type: 'string' },
    json: { type: 'boolean' },
    ...REGISTRY_OPTIONS,
  }, usage);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`expected one oci:// reference\n${usage}`);
  if (!values.output) throw new UsageError(`-o FILE is required\n${usage}`);
  const ref = parseImageReference(positionals[0]!);
  if (ref instanceof Error) throw new UsageError(ref.message);
  let expected: string | undefined;
  if (values.sha256 !== undefined) {
    const hex = normalizeSha256(values.sha256);
    if (hex instanceof Error) throw new UsageError(`--sha256: ${hex.message}`);
    expected = hex;
  }
  const credentials = await registryCredentials(values, ref.registry);
  const pulled = await pullModule(positionals[0]!, { plainHttp: values['plain-http'], credentials, expectedSha256: expected });
  await writeFile(values.output, pulled.wasm);
  const result = {
    output: values.output,
    layout: pulled.layout,
    manifestDigest: pulled.manifestDigest,
    moduleSha256: sha256Hex(pulled.wasm),
    bytes: pulled.wasm.length,
  };
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`pulled ${positionals[0]} (${result.layout} layout) → ${result.output}, ${result.bytes} bytes`);
    console.log(`manifest digest (WasmPlugin sha256 for oci://): ${result.manifestDigest.slice(7)}`);
    console.log(`module sha256 (WasmPlugin sha256 for https://): ${result.moduleSha256}`);
  }
  return 0;
}
