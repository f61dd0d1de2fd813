// Key pairs and token minting for jwt-auth tests (jose). Shared by the node tests and the scenario
// fixture generator (jwt-auth-fixtures.ts).
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { randomBytes } from 'node:crypto';

export type Alg = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'EdDSA' | 'HS256' | 'HS384' | 'HS512';

export interface KeyPair { alg: Alg; kid: string; privateKey: CryptoKey | Uint8Array; publicJwk: JWK }

export async function makeKey(alg: Alg, kid: string): Promise<KeyPair> {
  if (alg.startsWith('HS')) {
    const secret = randomBytes(64);
    return { alg, kid, privateKey: new Uint8Array(secret), publicJwk: { kty: 'oct', kid, k: secret.toString('base64url') } };
  }
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  const publicJwk = await exportJWK(publicKey);
  return { alg, kid, privateKey, publicJwk: { ...publicJwk, kid } };
}

export function jwks(...keys: KeyPair[]): string {
  return JSON.stringify({ keys: keys.map((k) => k.publicJwk) });
}

/** A signed token; `header` entries are merged into the protected header (e.g. crit, a missing kid). */
export async function mint(key: KeyPair, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const h: Record<string, unknown> = { alg: key.alg, kid: key.kid, typ: 'JWT', ...header };
  for (const [k, v] of Object.entries(h)) if (v === undefined) delete h[k];
  const jwt = new SignJWT(claims).setProtectedHeader(h as { alg: string });
  const crit = Array.isArray(h.crit) ? Object.fromEntries((h.crit as string[]).map((c) => [c, true])) : undefined;
  return jwt.sign(key.privateKey, crit ? { crit } : undefined);
}

export const b64url = (s: string | Uint8Array) => Buffer.from(s).toString('base64url');

/** A token assembled by hand (for malformed cases jose would refuse to produce). */
export function rawToken(header: string, payload: string, signature = 'c2ln'): string {
  return `${b64url(header)}.${b64url(payload)}.${signature}`;
}
