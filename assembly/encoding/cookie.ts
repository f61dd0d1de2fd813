// Cookie request header parsing, matching Envoy's `Http::Utility::parseCookieValue`: split on ';',
// drop leading whitespace, skip pieces without '=', strip one pair of surrounding double quotes.
// No percent-decoding (cookies are opaque). The first cookie with the name wins.

export class Cookie {
  constructor(
    public name: string,
    public value: string,
  ) {}
}

export class CookieResult {
  constructor(
    public ok: bool,
    public cookies: Array<Cookie>,
    public error: string,
  ) {}
  get(name: string): string | null {
    const cs = this.cookies;
    for (let i = 0; i < cs.length; i++) if (unchecked(cs[i]).name == name) return unchecked(cs[i]).value;
    return null;
  }
}

// Calls back with the [start,end) spans of each cookie's name and value. Returns false to stop.
// Written as a small state machine over bytes so lookups allocate nothing until a match.
class Pieces {
  nameStart: i32 = 0;
  nameEnd: i32 = 0;
  valueStart: i32 = 0;
  valueEnd: i32 = 0;
  next: i32 = 0;

  /** Advances to the next cookie in ptr[0..len); false when none is left. */
  advance(ptr: usize, len: i32): bool {
    let i = this.next;
    while (i < len) {
      let end = i;
      while (end < len && load<u8>(ptr + <usize>end) != 0x3b) end++;
      let s = i;
      while (s < end && isSpace(load<u8>(ptr + <usize>s))) s++;
      let eq = s;
      while (eq < end && load<u8>(ptr + <usize>eq) != 0x3d) eq++;
      i = end + 1;
      if (eq >= end) continue; // no '=': malformed piece, skipped as Envoy does
      this.nameStart = s;
      this.nameEnd = eq;
      let vs = eq + 1;
      let ve = end;
      if (ve - vs >= 2 && load<u8>(ptr + <usize>vs) == 0x22 && load<u8>(ptr + <usize>ve - 1) == 0x22) {
        vs++;
        ve--;
      }
      this.valueStart = vs;
      this.valueEnd = ve;
      this.next = i;
      return true;
    }
    this.next = len + 1;
    return false;
  }
}

// @ts-ignore: decorator
@inline
function isSpace(c: u8): bool {
  return c == 0x20 || (c >= 0x09 && c <= 0x0d); // absl::StripLeadingAsciiWhitespace
}

/** Value of cookie `name` in a Cookie header at ptr[0..len), or null. */
export function getCookiePtr(ptr: usize, len: i32, name: string): string | null {
  const nb = String.UTF8.encode(name);
  const np = changetype<usize>(nb);
  const nl = nb.byteLength;
  const it = new Pieces();
  while (it.advance(ptr, len)) {
    if (it.nameEnd - it.nameStart == nl && memory.compare(ptr + <usize>it.nameStart, np, <usize>nl) == 0) {
      return String.UTF8.decodeUnsafe(ptr + <usize>it.valueStart, <usize>(it.valueEnd - it.valueStart));
    }
  }
  return null;
}

export function getCookie(header: string, name: string): string | null {
  const buf = String.UTF8.encode(header);
  return getCookiePtr(changetype<usize>(buf), buf.byteLength, name);
}

/** All cookies in order; more than `maxCookies` is an error. */
export function parseCookiesPtr(ptr: usize, len: i32, maxCookies: i32 = 256): CookieResult {
  const out = new Array<Cookie>();
  const it = new Pieces();
  while (it.advance(ptr, len)) {
    if (out.length >= maxCookies)
      return new CookieResult(false, new Array<Cookie>(), "more than " + maxCookies.toString() + " cookies");
    out.push(
      new Cookie(
        String.UTF8.decodeUnsafe(ptr + <usize>it.nameStart, <usize>(it.nameEnd - it.nameStart)),
        String.UTF8.decodeUnsafe(ptr + <usize>it.valueStart, <usize>(it.valueEnd - it.valueStart)),
      ),
    );
  }
  return new CookieResult(true, out, "");
}

export function parseCookies(header: string, maxCookies: i32 = 256): CookieResult {
  const buf = String.UTF8.encode(header);
  return parseCookiesPtr(changetype<usize>(buf), buf.byteLength, maxCookies);
}
