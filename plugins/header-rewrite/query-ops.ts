// meshplug's `rewrite.queryParams`: remove, set (replace every occurrence by one) and add query
// parameters. Untouched parameters keep their exact bytes; names are compared after decoding.
import { JsonValue } from "../../sdk";
import { percentDecode, PercentOptions, percentEncode } from "../../assembly/encoding/percent";
import { MAX_ENTRIES, MAX_NAME_BYTES, MAX_VALUE_BYTES } from "./limits";
import { onlyKeys, Problems, stringList, sub } from "./problems";

export class QueryParamEdit {
  /** Already percent-encoded `name=value`. */
  encoded: string;
  constructor(public name: string, value: string) {
    this.encoded = percentEncode(name) + "=" + percentEncode(value);
  }
}

export class QueryOps {
  removes: string[] = [];
  sets: QueryParamEdit[] = [];
  adds: QueryParamEdit[] = [];

  /** `path` with its query edited (the part before `?` is kept as is). */
  apply(path: string): string {
    const q = path.indexOf("?");
    const base = q < 0 ? path : path.substring(0, q);
    const segs = q < 0 ? new Array<string>() : path.substring(q + 1).split("&");
    const out = new Array<string>();
    const setDone = new Array<bool>(this.sets.length);
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i];
      if (seg.length == 0) continue;
      const name = decodedName(seg);
      if (this.removes.includes(name)) continue;
      const s = this.setIndex(name);
      if (s >= 0) {
        if (!setDone[s]) { out.push(this.sets[s].encoded); setDone[s] = true; }
        continue;
      }
      out.push(seg);
    }
    for (let i = 0; i < this.sets.length; i++) if (!setDone[i]) out.push(this.sets[i].encoded);
    for (let i = 0; i < this.adds.length; i++) out.push(this.adds[i].encoded);
    return out.length == 0 ? base : base + "?" + out.join("&");
  }

  private setIndex(name: string): i32 {
    for (let i = 0; i < this.sets.length; i++) if (this.sets[i].name == name) return i;
    return -1;
  }
}

function decodedName(seg: string): string {
  const eq = seg.indexOf("=");
  const raw = eq < 0 ? seg : seg.substring(0, eq);
  const r = percentDecode(raw, PercentOptions.form().lenient());
  return r.ok ? r.text() : raw;
}

export function parseQueryOps(v: JsonValue, field: string, p: Problems): QueryOps | null {
  if (!v.isObject) { p.fail(field, "must be an object with set, add, remove"); return null; }
  if (!onlyKeys(v, field, ["set", "add", "remove"], p)) return null;
  const ops = new QueryOps();
  const rm = v.get("remove");
  if (rm !== null) {
    const names = stringList(rm, sub(field, "remove"), p, MAX_ENTRIES);
    if (names === null) return null;
    for (let i = 0; i < names.length; i++) {
      if (!checkName(names[i], sub(field, "remove"), p)) return null;
      ops.removes.push(names[i]);
    }
  }
  if (!parseEdits(v, "set", field, ops.sets, p)) return null;
  if (!parseEdits(v, "add", field, ops.adds, p)) return null;
  return ops;
}

function parseEdits(v: JsonValue, key: string, field: string, out: QueryParamEdit[], p: Problems): bool {
  const m = v.get(key);
  if (m === null) return true;
  const f = sub(field, key);
  if (!m.isObject) return p.fail(f, "must be an object of parameter name to value");
  if (m.keys.length > MAX_ENTRIES) return p.fail(f, "has more than " + MAX_ENTRIES.toString() + " entries");
  for (let i = 0; i < m.keys.length; i++) {
    const val = m.values[i];
    if (!checkName(m.keys[i], f, p)) return false;
    if (!val.isString) return p.fail(sub(f, m.keys[i]), "must be a string");
    if (String.UTF8.byteLength(val.str) > MAX_VALUE_BYTES) return p.fail(sub(f, m.keys[i]), "is longer than " + MAX_VALUE_BYTES.toString() + " bytes");
    out.push(new QueryParamEdit(m.keys[i], val.str));
  }
  return true;
}

function checkName(name: string, f: string, p: Problems): bool {
  if (name.length == 0) return p.fail(f, "has an empty parameter name");
  if (String.UTF8.byteLength(name) > MAX_NAME_BYTES) return p.fail(f, "has a parameter name longer than " + MAX_NAME_BYTES.toString() + " bytes");
  return true;
}
