// Typed JS wrapper over the exports of crypto-entry.ts: copies inputs into Wasm slots, calls one
// export, reads the output/reason back. Shared by the Wycheproof runner, node tests and the bench.
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { buildCryptoWasm } from './build-wasm.ts';

export const HashAlg = { SHA256: 0, SHA384: 1, SHA512: 2 } as const;
export type HashAlgId = (typeof HashAlg)[keyof typeof HashAlg];

export const EcCurve = { P256: 0, P384: 1 } as const;
export type EcCurveId = (typeof EcCurve)[keyof typeof EcCurve];

export interface KeyOutcome {
  ok: boolean;
  reason: string;
  handle: number;
}

export interface Outcome {
  ok: boolean;
  reason: string;
}

export interface BytesOutcome extends Outcome {
  value: Uint8Array;
}

type Exports = Record<string, (...args: number[]) => number> & { memory: WebAssembly.Memory };

export class CryptoWasm {
  private constructor(private readonly x: Exports) {}

  static async load(): Promise<CryptoWasm> {
    const bytes = readFileSync(await buildCryptoWasm());
    let memory: WebAssembly.Memory | undefined;
    const imports = {
      env: {
        // A trap path in the library is a bug: surface it loudly instead of as a generic RuntimeError.
        abort(_msg: number, _file: number, line: number, col: number): never {
          throw new Error(`wasm abort at ${line}:${col}`);
        },
      },
      wasi_snapshot_preview1: {
        random_get(ptr: number, len: number): number {
          webcrypto.getRandomValues(new Uint8Array(memory!.buffer, ptr, len));
          return 0;
        },
      },
    };
    const { instance } = await WebAssembly.instantiate(bytes, imports);
    const x = instance.exports as unknown as Exports;
    memory = x.memory;
    // asconfig.json (picked up by asc) exports the start function as _initialize, like plugin builds.
    if (typeof x._initialize === 'function') x._initialize();
    return new CryptoWasm(x);
  }

  /** Raw access for callers (bench) that set slots once and call an export many times. */
  get exports(): Exports {
    return this.x;
  }

  private slotTag = '';

  /**
   * Bench helper: fills the slots only when `tag` changes, so a timed loop measures the crypto,
   * not the copy into Wasm memory (Node's and noble's calls read their inputs in place too).
   */
  setSlotsOnce(tag: string, ...inputs: Uint8Array[]): void {
    if (tag === this.slotTag) return;
    this.setSlots(...inputs);
    this.slotTag = tag;
  }

  setSlots(...inputs: Uint8Array[]): void {
    this.slotTag = '';
    inputs.forEach((data, i) => {
      const ptr = this.x.slotAlloc(i, data.length);
      new Uint8Array(this.x.memory.buffer, ptr, data.length).set(data);
    });
  }

  output(): Uint8Array {
    const ptr = this.x.outputPtr();
    return new Uint8Array(this.x.memory.buffer, ptr, this.x.outputLen()).slice();
  }

  reason(): string {
    const units = new Uint16Array(this.x.memory.buffer, this.x.reasonPtr(), this.x.reasonLen());
    return String.fromCharCode(...units);
  }

  /** Sets slots, calls `fn(...args)`, returns the verdict. */
  call(fn: string, inputs: Uint8Array[], ...args: number[]): Outcome {
    this.setSlots(...inputs);
    const f = this.x[fn];
    if (typeof f !== 'function') throw new Error(`crypto wasm has no export ${fn}`);
    const ok = f(...args) === 1;
    return { ok, reason: ok ? '' : this.reason() };
  }

  callBytes(fn: string, inputs: Uint8Array[], ...args: number[]): BytesOutcome {
    const r = this.call(fn, inputs, ...args);
    return { ...r, value: r.ok ? this.output() : new Uint8Array(0) };
  }

  hash(alg: HashAlgId, data: Uint8Array): Uint8Array {
    return this.callBytes('hash', [data], alg).value;
  }

  hmac(alg: HashAlgId, key: Uint8Array, msg: Uint8Array): Uint8Array {
    return this.callBytes('hmac', [key, msg], alg).value;
  }

  hmacVerify(alg: HashAlgId, key: Uint8Array, msg: Uint8Array, tag: Uint8Array): Outcome {
    return this.call('hmacVerify', [key, msg, tag], alg);
  }

  hkdf(alg: HashAlgId, salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, length: number): BytesOutcome {
    return this.callBytes('hkdf', [salt, ikm, info], alg, length);
  }

  randomBytes(len: number): BytesOutcome {
    return this.callBytes('randomBytes', [], len);
  }

  constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
    return this.call('constantTimeEqual', [a, b]).ok;
  }

  private key(fn: string, inputs: Uint8Array[], ...args: number[]): KeyOutcome {
    this.setSlots(...inputs);
    const handle = this.x[fn](...args);
    return handle >= 0 ? { ok: true, reason: '', handle } : { ok: false, reason: this.reason(), handle: -1 };
  }

  /** Drops every key handle (the runner calls it per file so memory stays bounded). */
  freeKeys(): void {
    this.x.keysClear();
  }

  rsaKey(modulus: Uint8Array, exponent: Uint8Array): KeyOutcome {
    return this.key('rsaKey', [modulus, exponent]);
  }

  rsaPkcs1Verify(key: number, alg: HashAlgId, msg: Uint8Array, sig: Uint8Array): Outcome {
    return this.call('rsaPkcs1Verify', [msg, sig], key, alg);
  }

  rsaPssVerify(key: number, alg: HashAlgId, mgfAlg: HashAlgId, saltLen: number, msg: Uint8Array, sig: Uint8Array): Outcome {
    return this.call('rsaPssVerify', [msg, sig], key, alg, mgfAlg, saltLen);
  }

  /** `point` is a SEC1 encoding (uncompressed 04||x||y). */
  ecKey(curve: EcCurveId, point: Uint8Array): KeyOutcome {
    return this.key('ecKey', [point], curve);
  }

  ecdsaVerify(key: number, alg: HashAlgId, der: boolean, msg: Uint8Array, sig: Uint8Array): Outcome {
    return this.call('ecdsaVerify', [msg, sig], key, alg, der ? 1 : 0);
  }

  edKey(publicKey: Uint8Array): KeyOutcome {
    return this.key('edKey', [publicKey]);
  }

  ed25519Verify(key: number, msg: Uint8Array, sig: Uint8Array): Outcome {
    return this.call('ed25519Verify', [msg, sig], key);
  }

  gcmKey(key: Uint8Array): KeyOutcome {
    return this.key('gcmKey', [key]);
  }

  /** Returns ciphertext || 16-byte tag. */
  gcmSeal(key: number, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): BytesOutcome {
    return this.callBytes('gcmSeal', [iv, aad, plaintext], key);
  }

  gcmOpen(key: number, iv: Uint8Array, aad: Uint8Array, sealed: Uint8Array): BytesOutcome {
    return this.callBytes('gcmOpen', [iv, aad, sealed], key);
  }

  /** A JWK (JSON text): handle in the table of its kind (oct: 0, secret in output()). */
  jwk(json: string): KeyOutcome {
    return this.key('jwkLoad', [new TextEncoder().encode(json)]);
  }

  /** A JWKS: count of usable keys and the reasons for skipped ones. */
  jwks(json: string): { ok: boolean; count: number; skipped: string[]; reason: string } {
    this.setSlots(new TextEncoder().encode(json));
    const count = this.x.jwksLoad();
    const text = this.reason();
    if (count < 0) return { ok: false, count: 0, skipped: [], reason: text };
    return { ok: true, count, skipped: text ? text.split('\n') : [], reason: '' };
  }
}
