// Seals a session cookie the way plugins/oidc does, written from the format (README "Session cookie
// format") with Node's crypto: a second implementation, so a test can prove the plugin reads exactly
// that format, and benchmarks can start with a valid session without a provider.
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface MintedSession {
  createdS: number;
  expiresS: number;
  idToken: string;
  accessToken?: string;
  refreshToken?: string;
  claims?: string[];
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

function field(s: string): Buffer {
  const data = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(data.length);
  return Buffer.concat([len, data]);
}

/** The cookie value (base64url), unsplit. */
export function mintSessionCookie(cookieSecretB64: string, issuer: string, clientId: string, s: MintedSession): string {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(cookieSecretB64, 'base64'), 'meshplug-oidc v1', 'session cookie', 32));
  const claims = s.claims ?? [];
  const plain = Buffer.concat([
    Buffer.from([1]), u64(s.createdS), u64(s.expiresS), field(s.idToken), field(s.accessToken ?? ''), field(s.refreshToken ?? ''),
    Buffer.from([claims.length]), ...claims.map(field),
  ]);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(`session|${issuer}|${clientId}`));
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, ct, c.getAuthTag()]).toString('base64url');
}
