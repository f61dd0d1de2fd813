// %START_TIME% as Envoy prints it by default: RFC 3339 UTC with milliseconds, "2026-11-25T18:52:40.276Z".
export function isoMillis(nanos: i64): string {
  const ms = nanos / 1000000;
  let days = ms / 86400000;
  let rem = ms % 86400000;
  if (rem < 0) { rem += 86400000; days -= 1; }
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  const z = days + 719468;
  const era = (z >= 0 ? z : z - 146096) / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const d = doy - (153 * mp + 2) / 5 + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(rem / 3600000, 2) + ":" + pad((rem / 60000) % 60, 2) + ":"
    + pad((rem / 1000) % 60, 2) + "." + pad(rem % 1000, 3) + "Z";
}

function pad(n: i64, width: i32): string {
  let s = n.toString();
  while (s.length < width) s = "0" + s;
  return s;
}
