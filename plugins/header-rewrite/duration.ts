// Istio Duration strings (Go time.ParseDuration subset: "86400s", "24h", "1h30m", "1.5s") → whole seconds.
// Returns -1 when the text is not such a duration.
export function durationSeconds(s: string): i64 {
  if (s.length == 0 || s.length > 32) return -1;
  let total: f64 = 0;
  let i = 0;
  while (i < s.length) {
    const start = i;
    while (i < s.length && ((s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) || s.charCodeAt(i) == 0x2e)) i++;
    if (i == start) return -1;
    const num = parseFloat(s.substring(start, i));
    if (isNaN(num)) return -1;
    const u0 = i;
    while (i < s.length && s.charCodeAt(i) >= 0x61 && s.charCodeAt(i) <= 0x7a) i++;
    const unit = s.substring(u0, i);
    let scale: f64 = 0;
    if (unit == "h") scale = 3600;
    else if (unit == "m") scale = 60;
    else if (unit == "s") scale = 1;
    else if (unit == "ms") scale = 0.001;
    else return -1;
    total += num * scale;
  }
  if (total > 1e12) return -1;
  return <i64>Math.floor(total);
}
