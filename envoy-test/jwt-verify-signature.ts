// What Envoy 1.40's `verify_signature` foreign function answers, case by case, and what one call costs.
//   node --import tsx envoy-test/jwt-verify-signature.ts            compare Envoy with the recorded table
//   node --import tsx envoy-test/jwt-verify-signature.ts --record   (re)write envoy-test/jwt-verify-signature.json
//   node --import tsx envoy-test/jwt-verify-signature.ts --time 2000   ns per call, Envoy and our host
// The table is what test/host/foreign-verify-signature.test.ts holds our host to.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderBootstrap } from '../host/envoy/bootstrap.ts';
import { locateEnvoy } from '../host/envoy/locate.ts';
import { startEnvoy } from '../host/envoy/process.ts';
import { runSingleRequest } from '../host/node/single-request.ts';
import { decodeResult, signatureCases, timingCases, type ForeignAnswer } from './jwt-verify-signature-cases.ts';
import { parseProbeAnswer, probeBody, verifySignatureProbe } from './jwt-verify-signature-probe.ts';
import { repoRoot } from './lib/plugin-path.ts';

export const TABLE = join(repoRoot, 'envoy-test/jwt-verify-signature.json');

export function answerOf(text: string): ForeignAnswer & { ns: number } {
  const a = parseProbeAnswer(text);
  return a.status === 0 ? { status: 0, ...decodeResult(a.result), ns: a.ns } : { status: a.status, ns: a.ns };
}

/** Writes the probe module into tmp/ and returns its path. */
export async function probeFile(): Promise<string> {
  const dir = join(repoRoot, 'tmp/envoy-test');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'verify-signature-probe.wasm');
  writeFileSync(file, await verifySignatureProbe());
  return file;
}

/** Sends each body to the probe through our host; returns the answers' texts. */
export async function throughHost(file: string, bodies: Uint8Array[]): Promise<string[]> {
  const out: string[] = [];
  for (const body of bodies) {
    const r = await runSingleRequest({ plugins: [{ file }], request: { method: 'POST', path: '/', body } });
    out.push(r.response.body);
  }
  return out;
}

async function throughEnvoy(file: string, bodies: Uint8Array[]): Promise<string[]> {
  const yaml = renderBootstrap({ plugins: [{ name: 'verify-signature-probe', wasmPath: file }], upstream: 'http://127.0.0.1:9', listenPort: 0, adminPort: 0 }); // never reached: the probe answers
  const e = await startEnvoy({ configYaml: yaml });
  try {
    const out: string[] = [];
    for (const body of bodies) {
      const r = await fetch(`http://127.0.0.1:${e.ports.ingress}/`, { method: 'POST', body: Buffer.from(body) });
      if (r.status !== 200) throw new Error(`Envoy answered ${r.status}: ${await r.text()}`);
      out.push(await r.text());
    }
    return out;
  } finally {
    await e.stop();
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const envoy = locateEnvoy();
  if ('missing' in envoy) {
    console.log(`skipped: ${envoy.missing}`);
    return 0;
  }
  const file = await probeFile();
  const timeAt = args.indexOf('--time');
  if (timeAt >= 0) {
    const n = Number(args[timeAt + 1] ?? 2000);
    const cases = timingCases();
    for (let round = 0; round < 3; round++) {
      const env = await throughEnvoy(file, cases.map((c) => probeBody(c.args, n)));
      const host = await throughHost(file, cases.map((c) => probeBody(c.args, n)));
      cases.forEach((c, i) => {
        const a = answerOf(env[i]);
        const b = answerOf(host[i]);
        if (!a.result || !b.result) throw new Error(`${c.name}: did not verify (${env[i]} / ${host[i]})`);
        console.log(`${c.name}: Envoy ${(a.ns / n / 1000).toFixed(1)} µs/call, our host ${(b.ns / n / 1000).toFixed(1)} µs/call`);
      });
    }
    return 0;
  }
  const cases = signatureCases();
  const texts = await throughEnvoy(file, cases.map((c) => probeBody(c.args)));
  const seen: Record<string, ForeignAnswer> = {};
  cases.forEach((c, i) => {
    const { ns: _ns, ...a } = answerOf(texts[i]);
    seen[c.name] = a;
  });
  if (args.includes('--record')) {
    const lines = Object.entries(seen).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    writeFileSync(TABLE, `{\n${lines.join(',\n')}\n}\n`);
    console.log(`wrote ${Object.keys(seen).length} answers to ${TABLE}`);
    return 0;
  }
  const table = JSON.parse(readFileSync(TABLE, 'utf8')) as Record<string, ForeignAnswer>;
  let bad = 0;
  for (const [name, a] of Object.entries(seen)) {
    const want = JSON.stringify(table[name]);
    const got = JSON.stringify(a);
    if (want !== got) { bad++; console.log(`${name}: Envoy answered ${got}, the table says ${want}`); }
  }
  console.log(`${cases.length - bad}/${cases.length} answers as recorded`);
  return bad === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(await main());
