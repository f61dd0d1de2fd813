// `npm run bench -- crypto`: the AssemblyScript crypto (compiled Wasm, the same module the
// Wycheproof runner uses) against Node's native crypto (OpenSSL) and the pure-JS @noble libraries,
// on the same inputs, in the same process. Implementations are timed in interleaved rounds and the
// fastest round of each is kept. Time is the process's CPU time (process.cpuUsage), not wall time:
// on a shared, oversubscribed machine waiting for a core would otherwise dominate; every operation
// here is synchronous on the main thread, so CPU time is the cost of the operation.
// Prints ratios, not absolutes.
import {
  createCipheriv, createHash, createHmac, createPublicKey, generateKeyPairSync, sign, verify, constants, type KeyObject,
} from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { CryptoWasm, HashAlg, EcCurve } from '../test/wycheproof/crypto-wasm.ts';

type Op = () => unknown;

/** CPU milliseconds (user + system) used by this process so far. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Row {
  name: string;
  wasm: Op;
  node: Op;
  noble?: Op;
  /** Target: wasm time must be at most this multiple of Node's. */
  maxVsNode?: number;
}

const ROUNDS = 9;

/** Calls per round so that one round takes roughly `ms`. */
function calibrate(op: Op, ms: number): number {
  let n = 1;
  for (;;) {
    const t0 = cpuMs();
    for (let i = 0; i < n; i++) op();
    const dt = cpuMs() - t0;
    if (dt >= ms / 4) return Math.max(1, Math.round((n * ms) / Math.max(dt, 0.001)));
    n *= 4;
  }
}

/** Best-round time per call (µs) for each op, rounds interleaved across ops. */
function timeAll(ops: Op[], roundMs: number): number[] {
  const counts = ops.map((op) => calibrate(op, roundMs));
  const samples: number[][] = ops.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    ops.forEach((op, i) => {
      const n = counts[i];
      const t0 = cpuMs();
      for (let k = 0; k < n; k++) op();
      samples[i].push(((cpuMs() - t0) * 1000) / n);
    });
  }
  return samples.map((s) => Math.min(...s));
}

function der2p1363(der: Uint8Array, size: number): Uint8Array {
  // Node signs DER by default; JWS wants r || s. Parse the two INTEGERs (short-form lengths here).
  const out = new Uint8Array(2 * size);
  let pos = 2;
  for (let i = 0; i < 2; i++) {
    const len = der[pos + 1];
    let v = der.subarray(pos + 2, pos + 2 + len);
    while (v.length > size && v[0] === 0) v = v.subarray(1);
    out.set(v, (i + 1) * size - v.length);
    pos += 2 + len;
  }
  return out;
}

function rawPublic(key: KeyObject): Uint8Array {
  return new Uint8Array(key.export({ format: 'der', type: 'spki' })).slice(-32);
}

function jwkBytes(key: KeyObject, field: 'n' | 'e' | 'x' | 'y'): Uint8Array {
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  return new Uint8Array(Buffer.from(jwk[field], 'base64url'));
}

function must<T extends { ok: boolean; reason: string }>(r: T, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${r.reason}`);
  return r;
}

async function buildRows(cw: CryptoWasm): Promise<Row[]> {
  const x = cw.exports;
  const rows: Row[] = [];
  const msg = new Uint8Array(256).map((_, i) => (i * 31) & 255);

  for (const size of [1024, 1024 * 1024]) {
    const data = new Uint8Array(size).map((_, i) => (i * 7) & 255);
    rows.push({
      name: `SHA-256 ${size === 1024 ? '1 KiB' : '1 MiB'}`,
      wasm: () => (cw.setSlotsOnce(`sha${size}`, data), x.hash(HashAlg.SHA256)),
      node: () => createHash('sha256').update(data).digest(),
      noble: () => sha256(data),
      maxVsNode: 2,
    });
  }

  const hkey = new Uint8Array(32).fill(7);
  rows.push({
    name: 'HMAC-SHA-256 256 B',
    wasm: () => (cw.setSlotsOnce('hmac', hkey, msg), x.hmac(HashAlg.SHA256)),
    node: () => createHmac('sha256', hkey).update(msg).digest(),
    noble: () => hmac(sha256, hkey, msg),
    maxVsNode: 2,
  });

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaHandle = must(cw.rsaKey(jwkBytes(rsa.publicKey, 'n'), jwkBytes(rsa.publicKey, 'e')), 'rsa key').handle;
  const rs256 = new Uint8Array(sign('sha256', msg, rsa.privateKey));
  must(cw.rsaPkcs1Verify(rsaHandle, HashAlg.SHA256, msg, rs256), 'RS256 self-check');
  rows.push({
    name: 'RS256 verify (2048)',
    wasm: () => (cw.setSlotsOnce('rs256', msg, rs256), x.rsaPkcs1Verify(rsaHandle, HashAlg.SHA256)),
    node: () => verify('sha256', msg, rsa.publicKey, rs256),
    maxVsNode: 3,
  });
  const pssOpts = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  const ps256 = new Uint8Array(sign('sha256', msg, { key: rsa.privateKey, ...pssOpts }));
  must(cw.rsaPssVerify(rsaHandle, HashAlg.SHA256, HashAlg.SHA256, 32, msg, ps256), 'PS256 self-check');
  rows.push({
    name: 'PS256 verify (2048)',
    wasm: () => (cw.setSlotsOnce('ps256', msg, ps256), x.rsaPssVerify(rsaHandle, HashAlg.SHA256, HashAlg.SHA256, 32)),
    node: () => verify('sha256', msg, { key: rsa.publicKey, ...pssOpts }, ps256),
  });

  for (const [name, curve, hash, size, noble, maxVsNode] of [
    ['ES256 verify', 'P-256', 'sha256', 32, p256, 4],
    ['ES384 verify', 'P-384', 'sha384', 48, p384, undefined],
  ] as const) {
    const kp = generateKeyPairSync('ec', { namedCurve: curve });
    const point = new Uint8Array([4, ...jwkBytes(kp.publicKey, 'x'), ...jwkBytes(kp.publicKey, 'y')]);
    const handle = must(cw.ecKey(curve === 'P-256' ? EcCurve.P256 : EcCurve.P384, point), 'ec key').handle;
    const alg = curve === 'P-256' ? HashAlg.SHA256 : HashAlg.SHA384;
    const sig = der2p1363(new Uint8Array(sign(hash, msg, kp.privateKey)), size);
    must(cw.ecdsaVerify(handle, alg, false, msg, sig), `${name} self-check`);
    if (!noble.verify(sig, msg, point, { lowS: false })) throw new Error(`${name}: noble rejects the signature`);
    const nodeKey = { key: kp.publicKey, dsaEncoding: 'ieee-p1363' as const };
    rows.push({
      name,
      wasm: () => (cw.setSlotsOnce(name, msg, sig), x.ecdsaVerify(handle, alg, 0)),
      node: () => verify(hash, msg, nodeKey, sig),
      noble: () => noble.verify(sig, msg, point, { lowS: false }),
      maxVsNode,
    });
  }

  const ed = generateKeyPairSync('ed25519');
  const edPub = rawPublic(ed.publicKey);
  const edHandle = must(cw.edKey(edPub), 'ed key').handle;
  const edSig = new Uint8Array(sign(null, msg, ed.privateKey));
  must(cw.ed25519Verify(edHandle, msg, edSig), 'EdDSA self-check');
  const edNodeKey = createPublicKey(ed.publicKey.export({ format: 'pem', type: 'spki' }));
  rows.push({
    name: 'EdDSA verify',
    wasm: () => (cw.setSlotsOnce('eddsa', msg, edSig), x.ed25519Verify(edHandle)),
    node: () => verify(null, msg, edNodeKey, edSig),
    noble: () => ed25519.verify(edSig, msg, edPub),
  });

  const aesKey = new Uint8Array(32).fill(9);
  const iv = new Uint8Array(12).fill(1);
  const aad = new Uint8Array(16).fill(2);
  const pt = new Uint8Array(4096).map((_, i) => i & 255);
  const gcmHandle = must(cw.gcmKey(aesKey), 'gcm key').handle;
  const c = createCipheriv('aes-256-gcm', aesKey, iv);
  c.setAAD(aad);
  const nodeSealed = Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
  if (!Buffer.from(must(cw.gcmSeal(gcmHandle, iv, aad, pt), 'gcm seal').value).equals(nodeSealed)) {
    throw new Error('AES-GCM: wasm and node disagree');
  }
  rows.push({
    name: 'AES-256-GCM seal 4 KiB',
    wasm: () => (cw.setSlotsOnce('gcm', iv, aad, pt), x.gcmSeal(gcmHandle)),
    node: () => {
      const e = createCipheriv('aes-256-gcm', aesKey, iv);
      e.setAAD(aad);
      e.update(pt);
      e.final();
      return e.getAuthTag();
    },
  });
  return rows;
}

function fmt(n: number): string {
  return n.toFixed(2).padStart(7);
}

export async function run(args: string[]): Promise<void> {
  const roundMs = args.includes('--quick') ? 20 : 50;
  const cw = await CryptoWasm.load();
  const rows = await buildRows(cw);
  console.log('crypto bench: time per operation relative to Node native crypto (lower is faster)');
  console.log(`${'operation'.padEnd(26)} ${'wasm/node'.padStart(9)} ${'noble/node'.padStart(10)} ${'wasm/noble'.padStart(10)}  targets`);
  const verdicts: string[] = [];
  for (const row of rows) {
    const ops = row.noble ? [row.wasm, row.node, row.noble] : [row.wasm, row.node];
    const [w, n, nb] = timeAll(ops, roundMs);
    const wn = w / n;
    const targets: string[] = [];
    if (row.maxVsNode !== undefined) {
      const ok = wn <= row.maxVsNode;
      targets.push(`<=${row.maxVsNode}x node: ${ok ? 'met' : 'MISSED'}`);
      verdicts.push(`${row.name}: <=${row.maxVsNode}x node ${ok ? 'met' : 'MISSED'}`);
    }
    if (nb !== undefined) {
      const ok = w < nb;
      targets.push(`faster than noble: ${ok ? 'met' : 'MISSED'}`);
      verdicts.push(`${row.name}: faster than noble ${ok ? 'met' : 'MISSED'}`);
    }
    console.log(
      `${row.name.padEnd(26)} ${fmt(wn)}x ${nb !== undefined ? `${fmt(nb / n)}x ` : '      n/a  '} ${nb !== undefined ? `${fmt(w / nb)}x` : '      n/a'}  ${targets.join('; ')}`,
    );
  }
  const missed = verdicts.filter((v) => v.includes('MISSED'));
  console.log(`targets: ${verdicts.length - missed.length}/${verdicts.length} met${missed.length ? `; missed: ${missed.join(', ')}` : ''}`);
  console.log('(n/a: @noble has no RSA and @noble/ciphers is not installed, so RSA and AES-GCM compare against Node only)');
}
