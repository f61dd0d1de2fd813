// What may appear in a stat name. Tag values end up inside `<tag>=.=<value>;.;` segments that Envoy's
// stats_tags regex cuts out, so a value must never contain `;` or `=` (it would end or fake a segment),
// and labels must be valid Prometheus label names.

/** Longest tag value kept; longer request values count as "other" (bounds stat-name size). */
export const MAX_VALUE_BYTES: i32 = 64;

/** A Prometheus label / metric name: [A-Za-z_][A-Za-z0-9_]*, at most 64 characters. */
export function isIdentifier(s: string): bool {
  if (s.length == 0 || s.length > 64) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const alpha = (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F;
    if (!alpha && !(i > 0 && c >= 0x30 && c <= 0x39)) return false;
  }
  return true;
}

/** Bytes kept as-is in a tag value: letters, digits and `_ - . / : @ + ~`. */
@inline export function isValueByte(c: u32): bool {
  return (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
    || c == 0x5F || c == 0x2D || c == 0x2E || c == 0x2F || c == 0x3A || c == 0x40 || c == 0x2B || c == 0x7E;
}

/** Any other byte of a request value is replaced by `_`. */
@inline export function sanitizedByte(c: u32): u32 { return isValueByte(c) ? c : 0x5F; }

/** Why a configured value cannot be a tag value, or null. */
export function valueProblem(s: string): string | null {
  if (s.length == 0) return "must not be empty";
  if (s.length > MAX_VALUE_BYTES) return "is longer than " + MAX_VALUE_BYTES.toString() + " characters";
  for (let i = 0; i < s.length; i++) {
    if (!isValueByte(s.charCodeAt(i))) return "may only hold letters, digits and _ - . / : @ + ~";
  }
  return null;
}
