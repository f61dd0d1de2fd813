// Claim values as header text, the way Envoy's claim_to_headers writes them: strings as they are,
// numbers and booleans as text, arrays and objects as standard base64 of their JSON.
import { base64Encode } from "../../assembly/encoding/index";
import { JsonValue, stringifyJson } from "../../assembly/json/index";

export function claimAt(payload: JsonValue, path: Array<string>): JsonValue | null {
  let v: JsonValue | null = payload;
  for (let i = 0; i < path.length && v !== null; i++) v = v.isObject ? v.get(path[i]) : null;
  return v;
}

/** A header-safe rendering of the claim, or null when there is nothing to send. */
export function claimHeaderValue(v: JsonValue): string | null {
  let s: string;
  if (v.isString) s = v.str;
  else if (v.isBool) s = v.bool ? "true" : "false";
  else if (v.isNumber) s = v.isInt ? v.int.toString() : v.num.toString();
  else if (v.isArray || v.isObject) {
    const j = stringifyJson(v);
    if (!j.ok) return null;
    return base64Encode(Uint8Array.wrap(String.UTF8.encode(j.value)));
  } else return null;
  // A claim with CR, LF, NUL or other control bytes would make the proxy fail the request: skip it.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c != 0x09) || c == 0x7f) return null;
  }
  return s;
}
