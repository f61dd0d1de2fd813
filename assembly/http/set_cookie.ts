// Building a Set-Cookie header value (RFC 6265 §4.1 plus the attributes browsers enforce today).
// `build()` refuses combinations browsers would drop silently, so the mistake shows up in config.
import { isToken } from "./token";
import { StringResult } from "../encoding/bytes";

export enum SameSite {
  Unset = 0,
  Strict = 1,
  Lax = 2,
  None = 3,
}

export class SetCookie {
  path: string = "";
  domain: string = "";
  /** Seconds; -1 leaves Max-Age out (a session cookie unless `expires` is set). */
  maxAge: i64 = -1;
  /** An HTTP date (IMF-fixdate) written as given, e.g. "Thu, 01 Jan 1970 00:00:00 GMT". */
  expires: string = "";
  secure: bool = false;
  httpOnly: bool = false;
  sameSite: SameSite = SameSite.Unset;
  partitioned: bool = false;

  constructor(
    public name: string,
    public value: string,
  ) {}

  build(): StringResult {
    if (!isToken(this.name)) return StringResult.failure("cookie name must be a non-empty token", 0);
    if (!isCookieValue(this.value)) return StringResult.failure("cookie value has a character RFC 6265 forbids", 0);
    if (!isAttrValue(this.path)) return StringResult.failure("Path has a control character or ';'", 0);
    if (!isAttrValue(this.domain)) return StringResult.failure("Domain has a control character or ';'", 0);
    if (!isAttrValue(this.expires)) return StringResult.failure("Expires has a control character or ';'", 0);
    if (this.maxAge < -1) return StringResult.failure("Max-Age must not be negative", 0);
    if (this.sameSite == SameSite.None && !this.secure)
      return StringResult.failure("SameSite=None requires Secure", 0);
    if (this.partitioned && !this.secure) return StringResult.failure("Partitioned requires Secure", 0);
    if (this.name.startsWith("__Secure-") && !this.secure)
      return StringResult.failure("__Secure- cookies require Secure", 0);
    if (this.name.startsWith("__Host-") && (!this.secure || this.path != "/" || this.domain.length > 0))
      return StringResult.failure("__Host- cookies require Secure, Path=/ and no Domain", 0);
    let s = this.name + "=" + this.value;
    if (this.path.length > 0) s += "; Path=" + this.path;
    if (this.domain.length > 0) s += "; Domain=" + this.domain;
    if (this.maxAge >= 0) s += "; Max-Age=" + this.maxAge.toString();
    if (this.expires.length > 0) s += "; Expires=" + this.expires;
    if (this.secure) s += "; Secure";
    if (this.httpOnly) s += "; HttpOnly";
    if (this.sameSite == SameSite.Strict) s += "; SameSite=Strict";
    else if (this.sameSite == SameSite.Lax) s += "; SameSite=Lax";
    else if (this.sameSite == SameSite.None) s += "; SameSite=None";
    if (this.partitioned) s += "; Partitioned";
    return StringResult.success(s);
  }
}

// cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE )
// cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
function isCookieValue(v: string): bool {
  let a = 0;
  let b = v.length;
  if (b >= 2 && v.charCodeAt(0) == 0x22 && v.charCodeAt(b - 1) == 0x22) {
    a = 1;
    b--;
  }
  for (let i = a; i < b; i++) {
    const c = v.charCodeAt(i);
    const ok = c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
      (c >= 0x5d && c <= 0x7e);
    if (!ok) return false;
  }
  return true;
}

// av-octet: any CHAR except CTLs or ";"
function isAttrValue(v: string): bool {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c == 0x7f || c == 0x3b || c > 0x7e) return false;
  }
  return true;
}
