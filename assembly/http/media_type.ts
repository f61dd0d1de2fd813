// Content-Type / media-type parsing (RFC 9110 §8.3.1): `type/subtype *( OWS ";" OWS [name=value] )`.
// Type, subtype and parameter names are case-insensitive and returned lower-case; values keep
// their case (quoted strings are unquoted). A repeated parameter is an error: for `boundary` two
// values would let the WAF and the upstream split a body differently.
import { isTokenChar, isOws, lowerAscii } from "./token";

export class MediaParam {
  constructor(
    public name: string,
    public value: string,
  ) {}
}

export class MediaType {
  ok: bool = false;
  error: string = "";
  type: string = "";
  subtype: string = "";
  params: Array<MediaParam> = new Array<MediaParam>();

  /** "type/subtype", e.g. "multipart/form-data". */
  get essence(): string {
    return this.type + "/" + this.subtype;
  }

  /** Value of parameter `name` (give it lower-case), or null. */
  param(name: string): string | null {
    const ps = this.params;
    for (let i = 0; i < ps.length; i++) if (unchecked(ps[i]).name == name) return unchecked(ps[i]).value;
    return null;
  }

  /**
   * The multipart boundary, checked against RFC 2046 (1–70 of its allowed characters, not ending
   * in a space); null when absent or invalid, or when this is not a multipart type.
   */
  boundary(): string | null {
    if (this.type != "multipart") return null;
    const b = this.param("boundary");
    if (b === null) return null;
    const n = b.length;
    if (n < 1 || n > 70 || b.charCodeAt(n - 1) == 0x20) return null;
    for (let i = 0; i < n; i++) if (!isBoundaryChar(<u32>b.charCodeAt(i))) return null;
    return b;
  }
}

// bchars := DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" / "." / "/" / ":" / "=" / "?" / " "
function isBoundaryChar(c: u32): bool {
  if ((c | 0x20) - 0x61 < 26 || c - 0x30 < 10) return true;
  switch (c) {
    case 0x27: case 0x28: case 0x29: case 0x2b: case 0x5f: case 0x2c: case 0x2d: case 0x2e:
    case 0x2f: case 0x3a: case 0x3d: case 0x3f: case 0x20:
      return true;
  }
  return false;
}

function failed(m: MediaType, why: string, at: i32): MediaType {
  m.ok = false;
  m.error = why + " at " + at.toString();
  m.params = new Array<MediaParam>();
  return m;
}

/** Parses a Content-Type value; `maxParams` bounds work on hostile input. */
export function parseMediaType(value: string, maxParams: i32 = 32): MediaType {
  const m = new MediaType();
  const n = value.length;
  let i = 0;
  while (i < n && isOws(<u32>value.charCodeAt(i))) i++;
  let s = i;
  while (i < n && isTokenChar(<u32>value.charCodeAt(i))) i++;
  if (i == s) return failed(m, "expected a media type", i);
  m.type = lowerAscii(value.substring(s, i));
  if (i >= n || value.charCodeAt(i) != 0x2f) return failed(m, "expected '/'", i);
  i++;
  s = i;
  while (i < n && isTokenChar(<u32>value.charCodeAt(i))) i++;
  if (i == s) return failed(m, "expected a subtype", i);
  m.subtype = lowerAscii(value.substring(s, i));
  while (true) {
    while (i < n && isOws(<u32>value.charCodeAt(i))) i++;
    if (i >= n) break;
    if (value.charCodeAt(i) != 0x3b) return failed(m, "expected ';'", i);
    i++;
    while (i < n && isOws(<u32>value.charCodeAt(i))) i++;
    if (i >= n || value.charCodeAt(i) == 0x3b) continue; // empty parameter is allowed
    s = i;
    while (i < n && isTokenChar(<u32>value.charCodeAt(i))) i++;
    if (i == s) return failed(m, "expected a parameter name", i);
    const nameAt = s;
    const name = lowerAscii(value.substring(s, i));
    if (i >= n || value.charCodeAt(i) != 0x3d) return failed(m, "expected '=' after parameter name", i);
    i++;
    let v: string;
    if (i < n && value.charCodeAt(i) == 0x22) {
      // quoted-string with quoted-pairs
      i++;
      const parts = new Array<i32>();
      let closed = false;
      while (i < n) {
        const c = <u32>value.charCodeAt(i);
        if (c == 0x22) {
          closed = true;
          i++;
          break;
        }
        if (c == 0x5c) {
          i++;
          if (i >= n) break;
          const e = <u32>value.charCodeAt(i);
          if ((e < 0x20 && e != 0x09) || e == 0x7f) return failed(m, "control character in quoted string", i);
          parts.push(<i32>e);
        } else {
          if ((c < 0x20 && c != 0x09) || c == 0x7f) return failed(m, "control character in quoted string", i);
          parts.push(<i32>c);
        }
        i++;
      }
      if (!closed) return failed(m, "unterminated quoted string", i);
      v = String.fromCharCodes(parts);
    } else {
      s = i;
      while (i < n && isTokenChar(<u32>value.charCodeAt(i))) i++;
      if (i == s) return failed(m, "expected a parameter value", i);
      v = value.substring(s, i);
    }
    if (m.param(name) !== null) return failed(m, "duplicate parameter \"" + name + "\"", nameAt);
    if (m.params.length >= maxParams) return failed(m, "too many parameters", nameAt);
    m.params.push(new MediaParam(name, v));
  }
  m.ok = true;
  return m;
}
