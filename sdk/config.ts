// Reading configuration in onVmStart / onConfigure. The plugin configuration is only readable
// during onConfigure (Envoy answers NotFound later), so parse it there into compact structures.
import { BytesView } from "./bytes";
import { pluginConfiguration, vmConfiguration } from "./buffers";
import { JsonResult, JsonValue, parseJsonBytes } from "./json";

// @ts-ignore: decorator
@lazy const EMPTY = new BytesView(0, 0);

/** The plugin configuration bytes (zero-copy; empty when none was given). Pass onConfigure's size. */
export function pluginConfigBytes(size: i32): BytesView {
  if (size <= 0) return EMPTY;
  const v = pluginConfiguration.view(0, size);
  return v === null ? EMPTY : v;
}

/** The VM configuration bytes (empty when none). Pass onVmStart's size. */
export function vmConfigBytes(size: i32): BytesView {
  if (size <= 0) return EMPTY;
  const v = vmConfiguration.view(0, size);
  return v === null ? EMPTY : v;
}

/**
 * The plugin configuration parsed as JSON. An empty configuration parses as `{}` when
 * `emptyAsObject` (the usual "all defaults" case); otherwise it is an error.
 */
export function pluginConfigJson(size: i32, emptyAsObject: bool = true): JsonResult {
  const b = pluginConfigBytes(size);
  if (b.length == 0 && emptyAsObject) return parseJsonBytes(changetype<usize>(EMPTY_OBJECT), 2);
  return parseJsonBytes(b.ptr, b.length);
}

// @ts-ignore: decorator
@lazy const EMPTY_OBJECT = String.UTF8.encode("{}");

/**
 * A JSON-object configuration read field by field; the first problem is kept in `error`
 * (already phrased for a log line) and later reads return their defaults:
 *
 *   const c = configObject(size, ["header", "value"]);
 *   const name = c.string("header", "x-hello");
 *   if (c.error !== null) { logError(c.error!); return false; }
 */
export class ConfigObject {
  error: string | null = null;
  constructor(public readonly json: JsonValue | null) {}

  /** Records a problem with field `key` (null = no problem): `"key" <problem>`. */
  check(key: string, problem: string | null): void {
    if (problem !== null && this.error === null) this.error = "\"" + key + "\" " + problem;
  }

  /** The member `key`, or null when absent (or after an error). */
  field(key: string): JsonValue | null {
    const j = this.json;
    return j === null || this.error !== null ? null : j.get(key);
  }

  string(key: string, fallback: string): string {
    const v = this.field(key);
    if (v === null) return fallback;
    if (!v.isString) { this.check(key, "must be a string"); return fallback; }
    return v.str;
  }

  bool(key: string, fallback: bool): bool {
    const v = this.field(key);
    if (v === null) return fallback;
    if (!v.isBool) { this.check(key, "must be true or false"); return fallback; }
    return v.bool;
  }

  /** An integer in [min, max]. */
  int(key: string, fallback: i64, min: i64, max: i64): i64 {
    const v = this.field(key);
    if (v === null) return fallback;
    if (!v.isIntegerIn(<f64>min, <f64>max)) {
      this.check(key, "must be an integer from " + min.toString() + " to " + max.toString());
      return fallback;
    }
    return <i64>v.num;
  }
}

/** Parses the plugin configuration as a JSON object whose keys must all be in `allowed`. */
export function configObject(size: i32, allowed: string[]): ConfigObject {
  const parsed = pluginConfigJson(size);
  const v = parsed.value;
  if (v === null) {
    const c = new ConfigObject(null);
    c.error = "configuration is not valid JSON: " + parsed.error;
    return c;
  }
  const c = new ConfigObject(v);
  if (!v.isObject) { c.error = "configuration must be a JSON object"; return c; }
  for (let i = 0; i < v.keys.length; i++) {
    const k = v.keys[i];
    let known = false;
    for (let j = 0; j < allowed.length; j++) known = known || allowed[j] == k;
    if (!known) { c.error = "unknown field \"" + k + "\""; break; }
  }
  return c;
}
