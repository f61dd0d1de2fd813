// Registry credentials: given on the command line, or looked up in a Docker config (`~/.docker/config.json`,
// or a Kubernetes `kubernetes.io/dockerconfigjson` Secret's payload, which has the same shape).
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Credentials {
  username: string;
  password: string;
}

interface DockerAuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
}

/** Host part of a Docker config key: keys may be `host:port`, `https://host:port/v1/` and the like. */
function keyHost(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
}

function entryCredentials(entry: DockerAuthEntry): Credentials | undefined {
  if (typeof entry.username === 'string' && typeof entry.password === 'string') {
    return { username: entry.username, password: entry.password };
  }
  if (typeof entry.auth === 'string') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return undefined;
}

/**
 * Credentials for `registry` in a parsed Docker config (`{"auths": {...}}`), or undefined. Hostile shapes
 * give undefined, never an exception.
 */
export function credentialsFromDockerConfig(config: unknown, registry: string): Credentials | undefined {
  if (!config || typeof config !== 'object') return undefined;
  const auths = (config as { auths?: unknown }).auths;
  if (!auths || typeof auths !== 'object') return undefined;
  for (const [key, entry] of Object.entries(auths as Record<string, unknown>)) {
    if (keyHost(key) !== registry || !entry || typeof entry !== 'object') continue;
    const creds = entryCredentials(entry as DockerAuthEntry);
    if (creds) return creds;
  }
  return undefined;
}

/** Credentials for `registry` from `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`, if any. */
export async function credentialsFromDockerConfigFile(registry: string): Promise<Credentials | undefined> {
  const dir = process.env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  let text: string;
  try {
    text = await readFile(join(dir, 'config.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return credentialsFromDockerConfig(JSON.parse(text), registry);
  } catch {
    throw new Error(`${join(dir, 'config.json')} is not valid JSON`);
  }
}

/** `--password-stdin`: the whole of standard input, without the trailing newline `echo` adds. */
export async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (!password) throw new Error('--password-stdin: standard input was empty');
  return password;
}
