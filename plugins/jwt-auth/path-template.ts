// Istio path templates (`{*}` one segment, `{**}` the rest), which istiod hands to Envoy's uri_template
// matcher as `*` / `**`: a segment character class without "/" for `*` (one or more), with "/" for `**`
// (zero or more, last only). Literal segments compare exactly; the query is not part of the path.
const ONE = "{*}";
const ANY = "{**}";

function isPathChar(c: i32, slashOk: bool): bool {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return true;
  if (c == 0x2f) return slashOk;
  // - . _ ~ % ! $ & ' ( ) + , ; : @ =
  return c == 0x2d || c == 0x2e || c == 0x5f || c == 0x7e || c == 0x25 || c == 0x21 || c == 0x24 || c == 0x26 ||
    c == 0x27 || c == 0x28 || c == 0x29 || c == 0x2b || c == 0x2c || c == 0x3b || c == 0x3a || c == 0x40 || c == 0x3d;
}

export class PathTemplate {
  /** Segments after the leading "/": literal text, ONE or ANY. */
  segments: Array<string> = new Array<string>();

  static isTemplate(p: string): bool { return p.includes("{"); }

  /** Why `p` is not a template Istio accepts (null when it is one); the template itself is `compile(p)`. */
  static problem(p: string): string | null {
    if (!p.startsWith("/")) return "a path template must start with \"/\"";
    const parts = p.substring(1).split("/");
    for (let i = 0; i < parts.length; i++) {
      const s = parts[i];
      if (s == ANY && i != parts.length - 1) return "{**} must be the last segment";
      if (s != ONE && s != ANY && (s.includes("{") || s.includes("}") || s.includes("*"))) {
        return "\"" + s + "\": {*} and {**} must be whole path segments";
      }
    }
    return null;
  }

  static compile(p: string): PathTemplate {
    const t = new PathTemplate();
    const parts = p.substring(1).split("/");
    for (let i = 0; i < parts.length; i++) t.segments.push(parts[i]);
    return t;
  }

  matches(path: string): bool {
    let at = 1;
    if (!path.startsWith("/")) return false;
    for (let i = 0; i < this.segments.length; i++) {
      const seg = this.segments[i];
      if (i > 0) {
        if (at >= path.length || path.charCodeAt(at) != 0x2f) return false;
        at++;
      }
      if (seg == ANY) {
        for (let j = at; j < path.length; j++) if (!isPathChar(path.charCodeAt(j), true)) return false;
        return true;
      }
      if (seg == ONE) {
        const start = at;
        while (at < path.length && isPathChar(path.charCodeAt(at), false)) at++;
        if (at == start) return false;
      } else {
        if (!path.startsWith(seg, at)) return false;
        at += seg.length;
      }
    }
    return at == path.length;
  }
}
