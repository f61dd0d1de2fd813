// One direction's header operations (Istio `headers.request` / `headers.response` plus meshplug's
// `ops`, `rename`, `copy`), compiled at configure time and applied with Envoy's order: copy, rename,
// remove, then every value is evaluated against the headers as they are after the removes, then the
// overwrites are applied, then the appends.
import { asciiLower, HeaderMap, JsonValue } from "../../sdk";
import { compileTemplate, FormatSource, Template } from "./format";
import { MAX_ENTRIES, MAX_NAME_BYTES, MAX_VALUE_BYTES } from "./limits";
import { at, onlyKeys, Problems, stringList, sub } from "./problems";
import { headerNameProblem } from "../../sdk";

/** Envoy's HeaderValueOption.HeaderAppendAction. */
export const enum Append { AppendIfExistsOrAdd, AddIfAbsent, OverwriteIfExistsOrAdd, OverwriteIfExists }

export class HeaderAction {
  nameBuf: ArrayBuffer;
  constructor(public name: string, public value: Template, public append: Append, public keepEmpty: bool) {
    this.nameBuf = String.UTF8.encode(name);
  }
}

export class NamePair {
  constructor(public from: string, public to: string) {}
}

export class HeaderOps {
  copies: NamePair[] = [];
  renames: NamePair[] = [];
  removes: ArrayBuffer[] = [];
  actions: HeaderAction[] = [];
  /** Request side only: Istio turns `set`/`add` of `host` / `:authority` into an authority rewrite. */
  authority: Template | null = null;

  get isEmpty(): bool {
    return this.copies.length == 0 && this.renames.length == 0 && this.removes.length == 0 && this.actions.length == 0;
  }

  /** Request header names read by %REQ(..)% in these values. */
  reqNames(out: string[]): void {
    for (let i = 0; i < this.actions.length; i++) this.actions[i].value.reqNames(out);
  }

  apply(map: HeaderMap, src: FormatSource): void {
    for (let i = 0; i < this.copies.length; i++) {
      const c = unchecked(this.copies[i]);
      const vals = allValues(map, c.from);
      for (let j = 0; j < vals.length; j++) map.add(c.to, unchecked(vals[j]));
    }
    for (let i = 0; i < this.renames.length; i++) {
      const r = unchecked(this.renames[i]);
      const vals = allValues(map, r.from);
      if (vals.length == 0) continue;
      map.remove(r.from);
      for (let j = 0; j < vals.length; j++) map.add(r.to, unchecked(vals[j]));
    }
    for (let i = 0; i < this.removes.length; i++) map.remove(unchecked(this.removes[i]));
    const n = this.actions.length;
    if (n == 0) return;
    // Evaluate everything first so every formatter sees the same headers (Envoy does the same).
    const values = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      const a = unchecked(this.actions[i]);
      const v = a.value.eval(src);
      let keep = v.length > 0 || a.keepEmpty;
      if (keep && a.append == Append.AddIfAbsent) keep = !map.has(a.nameBuf);
      if (keep && a.append == Append.OverwriteIfExists) keep = map.has(a.nameBuf);
      unchecked((values[i] = keep ? v : null));
    }
    for (let i = 0; i < n; i++) {
      const a = unchecked(this.actions[i]);
      const v = unchecked(values[i]);
      if (v === null || (a.append != Append.OverwriteIfExistsOrAdd && a.append != Append.OverwriteIfExists)) continue;
      const lit = a.value.literalBuf;
      if (lit !== null) map.replace(a.nameBuf, lit); else map.replace(a.nameBuf, v);
    }
    for (let i = 0; i < n; i++) {
      const a = unchecked(this.actions[i]);
      const v = unchecked(values[i]);
      if (v === null || (a.append != Append.AppendIfExistsOrAdd && a.append != Append.AddIfAbsent)) continue;
      const lit = a.value.literalBuf;
      if (lit !== null) map.add(a.nameBuf, lit); else map.add(a.nameBuf, v);
    }
  }
}

function allValues(map: HeaderMap, name: string): string[] {
  const out = new Array<string>();
  const pairs = map.pairs();
  for (let i = 0; i < pairs.count; i++) if (pairs.nameAt(i).equals(name)) out.push(pairs.valueAt(i).toString());
  return out;
}

const FIELDS: string[] = ["set", "add", "remove", "ops", "rename", "copy"];
const OP_FIELDS: string[] = ["name", "value", "appendAction", "keepEmptyValue"];

/** Parses `headers.request` (requestSide) or `headers.response`; null with a problem on an error. */
export function parseHeaderOps(v: JsonValue, field: string, requestSide: bool, p: Problems): HeaderOps | null {
  if (!v.isObject) { p.fail(field, "must be an object"); return null; }
  if (!onlyKeys(v, field, FIELDS, p)) return null;
  const ops = new HeaderOps();
  const rm = v.get("remove");
  if (rm !== null) {
    const names = stringList(rm, sub(field, "remove"), p, MAX_ENTRIES);
    if (names === null) return null;
    for (let i = 0; i < names.length; i++) {
      const name = checkedName(names[i], at(sub(field, "remove"), i), p);
      if (name === null) return null;
      ops.removes.push(String.UTF8.encode(name));
    }
  }
  if (!parseMap(v, "set", Append.OverwriteIfExistsOrAdd, field, requestSide, ops, p)) return null;
  if (!parseMap(v, "add", Append.AppendIfExistsOrAdd, field, requestSide, ops, p)) return null;
  const list = v.get("ops");
  if (list !== null) {
    const f = sub(field, "ops");
    if (!list.isArray) { p.fail(f, "must be a list"); return null; }
    if (list.items.length > MAX_ENTRIES) { p.fail(f, "has more than " + MAX_ENTRIES.toString() + " entries"); return null; }
    for (let i = 0; i < list.items.length; i++) {
      if (!parseOp(list.items[i], at(f, i), requestSide, ops, p)) return null;
    }
  }
  if (!parsePairs(v, "rename", field, ops.renames, p)) return null;
  if (!parsePairs(v, "copy", field, ops.copies, p)) return null;
  return ops;
}

function parseMap(v: JsonValue, key: string, append: Append, field: string, requestSide: bool, ops: HeaderOps, p: Problems): bool {
  const m = v.get(key);
  if (m === null) return true;
  const f = sub(field, key);
  if (!m.isObject) return p.fail(f, "must be an object of header name to value");
  if (m.keys.length > MAX_ENTRIES) return p.fail(f, "has more than " + MAX_ENTRIES.toString() + " entries");
  for (let i = 0; i < m.keys.length; i++) {
    const val = m.values[i];
    if (!val.isString) return p.fail(sub(f, m.keys[i]), "must be a string");
    if (!addAction(m.keys[i], val.str, append, false, sub(f, m.keys[i]), requestSide, ops, p)) return false;
  }
  return true;
}

function parseOp(o: JsonValue, f: string, requestSide: bool, ops: HeaderOps, p: Problems): bool {
  if (!o.isObject) return p.fail(f, "must be an object {name, value, appendAction, keepEmptyValue}");
  if (!onlyKeys(o, f, OP_FIELDS, p)) return false;
  const name = o.get("name");
  const value = o.get("value");
  if (name === null || !name.isString) return p.fail(sub(f, "name"), "must be a string");
  if (value === null || !value.isString) return p.fail(sub(f, "value"), "must be a string");
  let append = Append.AppendIfExistsOrAdd;
  const act = o.get("appendAction");
  if (act !== null) {
    const s = act.isString ? act.str : "";
    if (s == "APPEND_IF_EXISTS_OR_ADD") append = Append.AppendIfExistsOrAdd;
    else if (s == "ADD_IF_ABSENT") append = Append.AddIfAbsent;
    else if (s == "OVERWRITE_IF_EXISTS_OR_ADD") append = Append.OverwriteIfExistsOrAdd;
    else if (s == "OVERWRITE_IF_EXISTS") append = Append.OverwriteIfExists;
    else return p.fail(sub(f, "appendAction"), "must be one of APPEND_IF_EXISTS_OR_ADD, ADD_IF_ABSENT, OVERWRITE_IF_EXISTS_OR_ADD, OVERWRITE_IF_EXISTS");
  }
  let keep = false;
  const k = o.get("keepEmptyValue");
  if (k !== null) {
    if (!k.isBool) return p.fail(sub(f, "keepEmptyValue"), "must be true or false");
    keep = k.bool;
  }
  return addAction(name.str, value.str, append, keep, f, requestSide, ops, p);
}

function addAction(rawName: string, value: string, append: Append, keep: bool, f: string, requestSide: bool, ops: HeaderOps, p: Problems): bool {
  const lower = asciiLower(rawName);
  if (requestSide && (lower == "host" || lower == ":authority")) {
    // Istio's behaviour: setting the host header rewrites the authority instead.
    if (ops.authority !== null) return p.fail(f, "sets the authority a second time");
    const t = compileTemplate(value, f, false, p);
    if (t === null) return false;
    ops.authority = t;
    return true;
  }
  const name = checkedName(rawName, f, p);
  if (name === null) return false;
  if (String.UTF8.byteLength(value) > MAX_VALUE_BYTES) return p.fail(f, "value is longer than " + MAX_VALUE_BYTES.toString() + " bytes");
  const t = compileTemplate(value, f, !requestSide, p);
  if (t === null) return false;
  ops.actions.push(new HeaderAction(name, t, append, keep));
  return true;
}

function parsePairs(v: JsonValue, key: string, field: string, out: NamePair[], p: Problems): bool {
  const m = v.get(key);
  if (m === null) return true;
  const f = sub(field, key);
  if (!m.isObject) return p.fail(f, "must be an object of source header name to target header name");
  if (m.keys.length > MAX_ENTRIES) return p.fail(f, "has more than " + MAX_ENTRIES.toString() + " entries");
  for (let i = 0; i < m.keys.length; i++) {
    const from = checkedName(m.keys[i], sub(f, m.keys[i]), p);
    if (from === null) return false;
    const to = m.values[i];
    if (!to.isString) return p.fail(sub(f, m.keys[i]), "must be a header name (string)");
    const toName = checkedName(to.str, sub(f, m.keys[i]), p);
    if (toName === null) return false;
    if (toName == from) return p.fail(sub(f, m.keys[i]), "names the same header on both sides");
    out.push(new NamePair(from, toName));
  }
  return true;
}

/** Lower-cased name, or null when it is not an editable header name (pseudo-headers and host only via rewrite). */
function checkedName(raw: string, f: string, p: Problems): string | null {
  const name = asciiLower(raw);
  if (name.startsWith(":") || name == "host") {
    p.fail(f, "cannot edit " + name + ": pseudo-headers and host change only through rewrite (uri, authority)");
    return null;
  }
  if (String.UTF8.byteLength(name) > MAX_NAME_BYTES) { p.fail(f, "header name is longer than " + MAX_NAME_BYTES.toString() + " bytes"); return null; }
  const bad = headerNameProblem(name);
  if (bad !== null) { p.fail(f, "header name " + bad); return null; }
  return name;
}
