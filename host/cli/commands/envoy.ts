// `meshplug envoy --wasmplugin FILE.yaml...`: runs Istio WasmPlugin resources in a local Envoy as the sidecar
// would (modules fetched and checked like Istio's agent, filters ordered like istiod), in front of an
// upstream (default: a built-in echo server). `--dry-run` prints the Envoy bootstrap instead.
import { startEnvoy, type RunningEnvoy } from '../../envoy/process.ts';
import { loadResources } from '../../delivery/load-resources.ts';
import { defaultCacheDir, ModuleCache } from '../../delivery/module-cache.ts';
import { REGISTRY_OPTIONS, REGISTRY_USAGE, registryCredentials } from '../../delivery/registry-login.ts';
import { bootstrapFor, prepareWasmPlugins } from '../../delivery/run-wasmplugins.ts';
import { credentialsFromDockerConfigFile } from '../../oci/credentials.ts';
import { startEchoUpstream, type EchoUpstream } from '../../node/echo-upstream.ts';
import { parseCommandArgs, UsageError } from '../args.ts';

export const summary = 'run Istio WasmPlugin resources locally in Envoy, fetched and ordered as the sidecar would';

const usage = `usage: meshplug envoy --wasmplugin FILE.yaml [--wasmplugin FILE.yaml...] [options]
  --wasmplugin FILE     WasmPlugin resources (and the docker-config Secrets their imagePullSecret names)
  --listen HOST:PORT    the listener, on 127.0.0.1 (default 127.0.0.1:10000; port 0 = any free port)
  --upstream URL        where requests go after the plugins (default: a built-in echo server)
  --admin-port N        Envoy's admin port on 127.0.0.1 (default: any free port)
  --cache-dir DIR       module cache, keyed like Istio's (default ${defaultCacheDir()})
  --dry-run             print the Envoy bootstrap instead of starting Envoy
  --log-level L         Envoy's wasm log level (e.g. debug) for plugin logs
${REGISTRY_USAGE}
An oci:// module is pulled with --username if given, else the WasmPlugin's imagePullSecret, else the Docker
config; imagePullPolicy Always re-pulls on every start, IfNotPresent (and unset, except :latest) reuses the
cache. A sha256 that does not match refuses to start.`;

function parseListen(text: string): number {
  const m = /^(?:(127\.0\.0\.1|localhost):)?(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new UsageError(`--listen must be 127.0.0.1:PORT (the local Envoy listens on loopback only), got '${text}'`);
  return port;
}

function parsePort(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${option} must be a port number, got '${text}'`);
  return n;
}

/** Resolves when SIGINT/SIGTERM arrives or Envoy goes away on its own (then with false). */
function waitForEnd(envoy: RunningEnvoy): Promise<boolean> {
  return new Promise((resolve) => {
    const onSignal = () => finish(true);
    const timer = setInterval(() => {
      try {
        process.kill(envoy.pid, 0);
      } catch {
        finish(false);
      }
    }, 500);
    function finish(bySignal: boolean) {
      clearInterval(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(bySignal);
    }
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    wasmplugin: { type: 'string', multiple: true },
    listen: { type: 'string', default: '127.0.0.1:10000' },
    upstream: { type: 'string' },
    'admin-port': { type: 'string' },
    'cache-dir': { type: 'string' },
    'dry-run': { type: 'boolean' },
    'log-level': { type: 'string' },
    ...REGISTRY_OPTIONS,
  }, usage);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'\n${usage}`);
  if (!values.wasmplugin?.length) throw new UsageError(`--wasmplugin FILE is required\n${usage}`);
  const listenPort = parseListen(values.listen);
  const adminPort = parsePort('admin-port', values['admin-port'], 0);
  if (values['dry-run'] && !values.upstream && listenPort === 0) {
    throw new UsageError('--dry-run without --upstream needs a fixed --listen port (the bootstrap then answers with a stand-in upstream inside Envoy)');
  }

  const resources = await loadResources(values.wasmplugin);
  const credentials = values.username ? await registryCredentials(values, '') : undefined;
  const report = (line: string) => console.error(line); // progress on stderr, so --dry-run's stdout is the bootstrap alone
  const prepared = await prepareWasmPlugins(resources, {
    cache: new ModuleCache(values['cache-dir'] ?? defaultCacheDir()),
    credentials,
    defaultCredentials: credentialsFromDockerConfigFile,
    plainHttp: values['plain-http'],
    report,
  });
  if (values['dry-run']) {
    console.log(bootstrapFor(prepared, { upstream: values.upstream ?? null, listenPort, adminPort }).trimEnd());
    return 0;
  }

  let echo: EchoUpstream | undefined;
  let envoy: RunningEnvoy | undefined;
  try {
    if (!values.upstream) echo = await startEchoUpstream();
    const upstream = values.upstream ?? echo!.url;
    envoy = await startEnvoy({
      configYaml: bootstrapFor(prepared, { upstream, listenPort, adminPort }),
      componentLogLevel: values['log-level'] ? `wasm:${values['log-level']}` : undefined,
    });
    const port = envoy.ports.ingress;
    console.log(`listening on http://127.0.0.1:${port} → ${upstream}${echo ? ' (built-in echo upstream)' : ''}`);
    console.log(`Envoy admin ${envoy.adminUrl}, log ${envoy.stderrPath}; Ctrl-C stops`);
    const bySignal = await waitForEnd(envoy);
    if (!bySignal) {
      console.error(`meshplug envoy: Envoy exited on its own (log: ${envoy.stderrPath})`);
      return 1;
    }
    return 0;
  } finally {
    await envoy?.stop();
    await echo?.close();
  }
}
