// Configuration errors: the first problem found, with the JSON path of the field it is about, so
// onConfigure can log one line naming the field and the reason.
import { JsonValue } from "../../sdk";

export class Problems {
  first: string | null = null;

  /** Records `field: reason` (only the first one is kept) and returns false for `return p.fail(...)`. */
  fail(field: string, reason: string): bool {
    if (this.first === null) this.first = "\"" + field + "\" " + reason;
    return false;
  }

  get ok(): bool { return this.first === null; }
}

/** Fails on any member of `obj` not in `allowed` (a typo must not silently disable a rule). */
export function onlyKeys(obj: JsonValue, field: string, allowed: string[], p: Problems): bool {
  for (let i = 0; i < obj.keys.length; i++) {
    const k = obj.keys[i];
    if (!allowed.includes(k)) return p.fail(field, "has unknown field \"" + k + "\" (allowed: " + allowed.join(", ") + ")");
  }
  return true;
}

/** Joins a JSON path: `a` + `b` → `a.b` (or `b` at the root). */
export function sub(field: string, key: string): string {
  return field.length == 0 ? key : field + "." + key;
}

export function at(field: string, i: i32): string {
  return field + "[" + i.toString() + "]";
}

/** A list of strings, or null (with a problem) when it is not one. */
export function stringList(v: JsonValue, field: string, p: Problems, maxItems: i32): string[] | null {
  if (!v.isArray) { p.fail(field, "must be a list of strings"); return null; }
  if (v.items.length > maxItems) { p.fail(field, "has more than " + maxItems.toString() + " entries"); return null; }
  const out = new Array<string>();
  for (let i = 0; i < v.items.length; i++) {
    const item = v.items[i];
    if (!item.isString) { p.fail(at(field, i), "must be a string"); return null; }
    out.push(item.str);
  }
  return out;
}
