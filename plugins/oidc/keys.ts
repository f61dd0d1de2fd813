// The keys every cookie is protected with, derived once from `cookieSecret` with HKDF-SHA256 so one
// secret yields independent keys per purpose (a state cookie can never be opened as a session).
import { AesGcm, HashAlg, Hmac, hkdf } from "../../assembly/crypto/index";

const SALT = "meshplug-oidc v1";

export class CookieKeys {
  constructor(
    /** AES-256-GCM for the session cookie. */
    public session: AesGcm,
    /** AES-256-GCM for the login-state cookie. */
    public state: AesGcm,
    /** HMAC-SHA256 binding the `state` parameter to its cookie and original URL. */
    public stateMac: Hmac,
  ) {}
}

function derive(secret: Uint8Array, info: string): Uint8Array {
  // 32 bytes from SHA-256 HKDF never fails (limit is 255 × 32).
  return hkdf(HashAlg.SHA256, Uint8Array.wrap(String.UTF8.encode(SALT)), secret, Uint8Array.wrap(String.UTF8.encode(info)), 32).value;
}

export function deriveKeys(secret: Uint8Array): CookieKeys {
  const session = AesGcm.create(derive(secret, "session cookie")).key!;
  const state = AesGcm.create(derive(secret, "state cookie")).key!;
  const mac = new Hmac(HashAlg.SHA256, derive(secret, "state parameter"));
  return new CookieKeys(session, state, mac);
}
