// Query strings (application/x-www-form-urlencoded style): `a=1&b=x+y&flag`. Pairs keep their
// order; a repeated name gives several pairs.
import { percentDecodePtr, PercentOptions } from "./percent";
import { utf8InvalidAt } from "./utf8";

export class QueryParam {
  constructor(
    public name: string,
    public value: string,
    /** False for a bare `name` without '='. */
    public hasValue: bool,
  ) {}
}

export class QueryOptions {
  /** More parameters than this is an error (bounds work and memory on hostile input). */
  maxParams: i32 = 256;
  /** Reject bad percent escapes and invalid UTF-8; otherwise keep '%' literally and use U+FFFD. */
  strict: bool = true;
}

export class QueryResult {
  constructor(
    public ok: bool,
    public params: Array<QueryParam>,
    public error: string,
    public at: i32,
  ) {}

  /** Value of the first parameter called `name`, or null. */
  get(name: string): string | null {
    const ps = this.params;
    for (let i = 0; i < ps.length; i++) if (unchecked(ps[i]).name == name) return unchecked(ps[i]).value;
    return null;
  }

  getAll(name: string): Array<string> {
    const out = new Array<string>();
    const ps = this.params;
    for (let i = 0; i < ps.length; i++) if (unchecked(ps[i]).name == name) out.push(unchecked(ps[i]).value);
    return out;
  }
}

function fail(error: string, at: i32): QueryResult {
  return new QueryResult(false, new Array<QueryParam>(), error, at);
}

/** Parses a query string at ptr[0..len); one leading '?' is skipped. */
export function parseQueryPtr(ptr: usize, len: i32, opts: QueryOptions = new QueryOptions()): QueryResult {
  let i = 0;
  if (len > 0 && load<u8>(ptr) == 0x3f) i = 1;
  const params = new Array<QueryParam>();
  const popts = PercentOptions.form();
  popts.strict = opts.strict;
  while (i <= len) {
    // One `name[=value]` segment up to '&' or the end.
    let end = i;
    let eq = -1;
    while (end < len) {
      const c = load<u8>(ptr + <usize>end);
      if (c == 0x26) break;
      if (c == 0x3d && eq < 0) eq = end;
      end++;
    }
    if (end > i) {
      if (params.length >= opts.maxParams) return fail("more than " + opts.maxParams.toString() + " parameters", i);
      const nameEnd = eq < 0 ? end : eq;
      const name = decodePart(ptr + <usize>i, nameEnd - i, popts, opts.strict);
      if (name === null) return fail("bad encoding in parameter name", i);
      let value = "";
      if (eq >= 0) {
        const v = decodePart(ptr + <usize>eq + 1, end - eq - 1, popts, opts.strict);
        if (v === null) return fail("bad encoding in parameter value", eq + 1);
        value = v;
      }
      params.push(new QueryParam(name, value, eq >= 0));
    }
    i = end + 1;
  }
  return new QueryResult(true, params, "", -1);
}

export function parseQuery(query: string, opts: QueryOptions = new QueryOptions()): QueryResult {
  const buf = String.UTF8.encode(query);
  return parseQueryPtr(changetype<usize>(buf), buf.byteLength, opts);
}

/** Parses the query of a request path (`/p?a=1#frag` → `a=1`); no '?' means no parameters. */
export function parsePathQuery(path: string, opts: QueryOptions = new QueryOptions()): QueryResult {
  const q = path.indexOf("?");
  if (q < 0) return new QueryResult(true, new Array<QueryParam>(), "", -1);
  let end = path.indexOf("#", q);
  if (end < 0) end = path.length;
  return parseQuery(path.substring(q + 1, end), opts);
}

function decodePart(p: usize, n: i32, popts: PercentOptions, strict: bool): string | null {
  const r = percentDecodePtr(p, n, popts);
  if (!r.ok) return null;
  const v = r.value;
  if (strict && utf8InvalidAt(v.dataStart, v.length) >= 0) return null;
  return String.UTF8.decodeUnsafe(v.dataStart, <usize>v.length);
}
