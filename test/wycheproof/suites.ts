// One suite per primitive: recognises vector files by schema (+ algorithm where a schema is shared)
// and turns each test group into a per-case check that calls the compiled Wasm.
import { type CryptoWasm, type HashAlgId, HashAlg, EcCurve, type EcCurveId } from './crypto-wasm.ts';
import { hex, num, obj, str, type TestCase, type TestGroup, type VectorFile } from './vectors.ts';

export interface CaseResult {
  accepted: boolean;
  reason: string;
  /** Set when the case fails regardless of the verdict (e.g. AEAD ciphertext mismatch). */
  problem?: string;
}

export type CaseCheck = (tc: TestCase) => CaseResult;

export interface Suite {
  name: string;
  matches(file: VectorFile): boolean;
  /** A check for the group's cases, or a string saying why the group is skipped. */
  prepare(cw: CryptoWasm, group: TestGroup, file: VectorFile): CaseCheck | string;
}

const hashes: Record<string, HashAlgId> = { 'SHA-256': HashAlg.SHA256, 'SHA-384': HashAlg.SHA384, 'SHA-512': HashAlg.SHA512 };
const curves: Record<string, EcCurveId> = { secp256r1: EcCurve.P256, secp384r1: EcCurve.P384 };

function hashOf(name: unknown): HashAlgId | undefined {
  return typeof name === 'string' ? hashes[name] : undefined;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

const mac: Suite = {
  name: 'HMAC',
  matches: (f) => f.schema === 'mac_test_schema_v1.json' && /^HMACSHA(256|384|512)$/.test(f.algorithm),
  prepare(cw, group, file) {
    const alg = hashOf(`SHA-${file.algorithm.slice(7)}`)!;
    const tagBytes = num(group.tagSize, 'tagSize') / 8;
    return (tc) => {
      const tag = hex(tc.tag, 'tag');
      // The group's tagSize says how many bytes of the MAC the tag holds; a tag of another length
      // in a group is itself a malformed input we must reject.
      if (tag.length !== tagBytes) return { accepted: false, reason: 'tag length differs from tagSize' };
      const r = cw.hmacVerify(alg, hex(tc.key, 'key'), hex(tc.msg, 'msg'), tag);
      return { accepted: r.ok, reason: r.reason };
    };
  },
};

const hkdf: Suite = {
  name: 'HKDF',
  matches: (f) => f.schema === 'hkdf_test_schema_v1.json' && /^HKDF-SHA-(256|384|512)$/.test(f.algorithm),
  prepare(cw, _group, file) {
    const alg = hashOf(file.algorithm.slice(5))!;
    return (tc) => {
      const size = num(tc.size, 'size');
      const r = cw.hkdf(alg, hex(tc.salt, 'salt'), hex(tc.ikm, 'ikm'), hex(tc.info, 'info'), size);
      if (r.ok && tc.result === 'valid' && !equal(r.value, hex(tc.okm, 'okm'))) {
        return { accepted: true, reason: '', problem: 'okm differs' };
      }
      return { accepted: r.ok, reason: r.reason };
    };
  },
};

/** Key handle; a string for a skip (size outside 2048-4096 bits, which the library refuses by design). */
function rsaKey(cw: CryptoWasm, group: TestGroup): { handle: number } | { failed: string } | string {
  const pk = obj(group.publicKey, 'publicKey');
  const modulus = hex(pk.modulus, 'modulus');
  const bits = BigInt(`0x${Buffer.from(modulus).toString('hex') || '0'}`).toString(2).length;
  if (bits < 2048 || bits > 4096) return `${bits}-bit modulus`;
  const k = cw.rsaKey(modulus, hex(pk.publicExponent, 'publicExponent'));
  return k.ok ? { handle: k.handle } : { failed: `key rejected: ${k.reason}` };
}

const rsaPkcs1: Suite = {
  name: 'RSASSA-PKCS1-v1_5',
  matches: (f) => f.schema === 'rsassa_pkcs1_verify_schema_v1.json',
  prepare(cw, group) {
    const alg = hashOf(group.sha);
    if (alg === undefined) return `hash ${String(group.sha)}`;
    const key = rsaKey(cw, group);
    if (typeof key === 'string') return key;
    return (tc) => {
      if ('failed' in key) return { accepted: false, reason: key.failed };
      const r = cw.rsaPkcs1Verify(key.handle, alg, hex(tc.msg, 'msg'), hex(tc.sig, 'sig'));
      return { accepted: r.ok, reason: r.reason };
    };
  },
};

const rsaPss: Suite = {
  name: 'RSASSA-PSS',
  matches: (f) => f.schema === 'rsassa_pss_verify_schema_v1.json',
  prepare(cw, group) {
    const alg = hashOf(group.sha);
    const mgfAlg = hashOf(group.mgfSha);
    if (alg === undefined || mgfAlg === undefined) return `hash ${String(group.sha)}/${String(group.mgfSha)}`;
    if (group.mgf !== 'MGF1') return `mgf ${String(group.mgf)}`;
    const sLen = num(group.sLen, 'sLen');
    const key = rsaKey(cw, group);
    if (typeof key === 'string') return key;
    return (tc) => {
      if ('failed' in key) return { accepted: false, reason: key.failed };
      const r = cw.rsaPssVerify(key.handle, alg, mgfAlg, sLen, hex(tc.msg, 'msg'), hex(tc.sig, 'sig'));
      return { accepted: r.ok, reason: r.reason };
    };
  },
};

function ecdsaSuite(name: string, schema: string, der: boolean): Suite {
  return {
    name,
    matches: (f) => f.schema === schema,
    prepare(cw, group) {
      const alg = hashOf(group.sha);
      const pk = obj(group.publicKey, 'publicKey');
      const curve = curves[str(pk.curve, 'curve')];
      if (alg === undefined || curve === undefined) return `${String(pk.curve)} with ${String(group.sha)}`;
      const k = cw.ecKey(curve, hex(pk.uncompressed, 'uncompressed'));
      return (tc) => {
        if (!k.ok) return { accepted: false, reason: `key rejected: ${k.reason}` };
        const r = cw.ecdsaVerify(k.handle, alg, der, hex(tc.msg, 'msg'), hex(tc.sig, 'sig'));
        return { accepted: r.ok, reason: r.reason };
      };
    },
  };
}

const ed25519: Suite = {
  name: 'Ed25519',
  matches: (f) => f.schema === 'eddsa_verify_schema_v1.json',
  prepare(cw, group) {
    const pk = obj(group.publicKey, 'publicKey');
    if (pk.curve !== 'edwards25519') return `curve ${String(pk.curve)}`;
    const k = cw.edKey(hex(pk.pk, 'pk'));
    return (tc) => {
      if (!k.ok) return { accepted: false, reason: `key rejected: ${k.reason}` };
      const r = cw.ed25519Verify(k.handle, hex(tc.msg, 'msg'), hex(tc.sig, 'sig'));
      return { accepted: r.ok, reason: r.reason };
    };
  },
};

const aesGcm: Suite = {
  name: 'AES-GCM',
  matches: (f) => f.schema === 'aead_test_schema_v1.json' && f.algorithm === 'AES-GCM',
  prepare(cw) {
    return (tc) => {
      const key = cw.gcmKey(hex(tc.key, 'key'));
      if (!key.ok) return { accepted: false, reason: key.reason };
      const iv = hex(tc.iv, 'iv');
      const aad = hex(tc.aad, 'aad');
      const ct = hex(tc.ct, 'ct');
      const tag = hex(tc.tag, 'tag');
      const sealed = new Uint8Array(ct.length + tag.length);
      sealed.set(ct);
      sealed.set(tag, ct.length);
      const opened = cw.gcmOpen(key.handle, iv, aad, sealed);
      if (tc.result === 'valid') {
        // Valid means both directions: open gives msg back and seal reproduces ct || tag.
        const msg = hex(tc.msg, 'msg');
        if (opened.ok && !equal(opened.value, msg)) return { accepted: true, reason: '', problem: 'open: plaintext differs' };
        const s = cw.gcmSeal(key.handle, iv, aad, msg);
        if (!s.ok) return { accepted: false, reason: `seal: ${s.reason}` };
        if (!equal(s.value, sealed)) return { accepted: true, reason: '', problem: 'seal: ct || tag differs' };
      }
      return { accepted: opened.ok, reason: opened.reason };
    };
  },
};

const suites: Suite[] = [
  mac,
  hkdf,
  rsaPkcs1,
  rsaPss,
  ecdsaSuite('ECDSA P1363', 'ecdsa_p1363_verify_schema_v1.json', false),
  ecdsaSuite('ECDSA DER', 'ecdsa_verify_schema_v1.json', true),
  ed25519,
  aesGcm,
];

export function findSuite(file: VectorFile): Suite | undefined {
  return suites.find((s) => s.matches(file));
}
