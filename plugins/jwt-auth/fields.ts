// Small readers for configuration objects that name the offending field on every error, so a bad
// pluginConfig fails onConfigure with "<path>: <reason>".
import { JsonValue } from "../../assembly/json/index";

export class FieldErrors {
  error: string | null = null;

  fail(path: string, reason: string): void {
    if (this.error === null) this.error = path + ": " + reason;
  }

  get ok(): bool { return this.error === null; }

  /** Refuses members of `obj` not in `allowed` (Istio field names, so a typo is not silently ignored). */
  onlyKnown(obj: JsonValue, path: string, allowed: string[]): void {
    const keys = obj.keys;
    if (keys === null) return;
    for (let i = 0; i < keys.length; i++) {
      if (!allowed.includes(keys[i])) { this.fail(path + "." + keys[i], "unknown field"); return; }
    }
  }

  object(v: JsonValue | null, path: string): JsonValue | null {
    if (v === null) return null;
    if (!v.isObject) { this.fail(path, "must be an object"); return null; }
    return v;
  }

  string(obj: JsonValue, key: string, path: string, fallback: string): string {
    const v = obj.get(key);
    if (v === null) return fallback;
    if (!v.isString) { this.fail(path + "." + key, "must be a string"); return fallback; }
    return v.str;
  }

  bool(obj: JsonValue, key: string, path: string, fallback: bool): bool {
    const v = obj.get(key);
    if (v === null) return fallback;
    if (!v.isBool) { this.fail(path + "." + key, "must be true or false"); return fallback; }
    return v.bool;
  }

  /** An array member (absent → empty list). */
  array(obj: JsonValue, key: string, path: string): Array<JsonValue> {
    const out = new Array<JsonValue>();
    const v = obj.get(key);
    if (v === null) return out;
    if (!v.isArray) { this.fail(path + "." + key, "must be a list"); return out; }
    for (let i = 0; i < v.length; i++) out.push(v.at(i)!);
    return out;
  }

  strings(obj: JsonValue, key: string, path: string): Array<string> {
    const out = new Array<string>();
    const items = this.array(obj, key, path);
    for (let i = 0; i < items.length; i++) {
      if (!items[i].isString) { this.fail(path + "." + key + "[" + i.toString() + "]", "must be a string"); break; }
      out.push(items[i].str);
    }
    return out;
  }
}
