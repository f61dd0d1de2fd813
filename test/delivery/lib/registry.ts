// Starts Debian's docker-registry (the CNCF distribution registry) on 127.0.0.1 for a test: open, with
// htpasswd Basic auth (bcrypt from apache2-utils' htpasswd), or with Bearer tokens from token-server.ts.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { startTokenServer, type TokenServer } from './token-server.ts';

export type RegistryAuth = 'none' | 'basic' | 'bearer';

export interface TestRegistry {
  host: string; // 127.0.0.1:PORT
  auth: RegistryAuth;
  user: string;
  password: string;
  token?: TokenServer;
  stop(): Promise<void>;
}

const USER = 'meshplug';
const PASSWORD = 'correct horse battery staple';

async function waitUntilUp(host: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null || log().includes('cannot run docker-registry')) throw new Error(`docker-registry did not start: ${log()}`);
    try {
      const res = await fetch(`http://${host}/v2/`);
      await res.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`docker-registry did not answer on ${host}: ${log()}`);
}

export async function startRegistry(auth: RegistryAuth = 'none'): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'meshplug-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  let token: TokenServer | undefined;
  let authYaml = '';
  if (auth === 'basic') {
    let line: string;
    try {
      line = execFileSync('htpasswd', ['-Bbn', USER, PASSWORD], { encoding: 'utf8' }).trim();
    } catch (e) {
      throw new Error(`cannot run htpasswd for a bcrypt password file (apt-get install apache2-utils): ${(e as Error).message}`);
    }
    writeFileSync(join(dir, 'htpasswd'), `${line}\n`);
    // Istio's agent refuses any 401 whose realm is not an http(s) URL on a public host (its SSRF guard),
    // Basic realms included, so the realm is written as one; Basic auth never contacts it.
    authYaml = `auth: {htpasswd: {realm: "https://registry.meshplug.example/", path: ${join(dir, 'htpasswd')}}}\n`;
  } else if (auth === 'bearer') {
    token = await startTokenServer(dir, USER, PASSWORD);
    authYaml = `auth: {token: {realm: "${token.realm}", service: ${token.service}, issuer: ${token.issuer}, rootcertbundle: ${token.certFile}}}\n`;
  }
  writeFileSync(join(dir, 'config.yml'),
    `version: 0.1\nlog: {level: error, accesslog: {disabled: true}}\n` +
    `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}}\nhttp: {addr: "${host}"}\n${authYaml}`);
  let output = '';
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => { output = (output + c.toString()).slice(-4000); });
  child.stderr!.on('data', (c: Buffer) => { output = (output + c.toString()).slice(-4000); });
  child.on('error', (e) => { output += `cannot run docker-registry (apt-get install docker-registry): ${e.message}`; });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await token?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(host, child, () => output);
  } catch (e) {
    await stop();
    throw e;
  }
  return { host, auth, user: USER, password: PASSWORD, token, stop };
}
