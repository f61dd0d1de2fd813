// Durations in configuration ("90s", "15m", "8h", "250ms") → whole seconds or milliseconds.
// Kept to the units a WasmPlugin author writes; anything else is a configuration error, never a guess.

/** Milliseconds, or -1 when the text is not <digits><unit> with unit ms, s, m or h. */
export function parseDurationMs(text: string): i64 {
  let unit: i64 = 0;
  let digits = 0;
  if (text.endsWith("ms")) { unit = 1; digits = text.length - 2; }
  else if (text.endsWith("s")) { unit = 1000; digits = text.length - 1; }
  else if (text.endsWith("m")) { unit = 60_000; digits = text.length - 1; }
  else if (text.endsWith("h")) { unit = 3_600_000; digits = text.length - 1; }
  else return -1;
  // 9 digits of hours is far beyond any sane lifetime and still far from i64 overflow.
  if (digits == 0 || digits > 9) return -1;
  let n: i64 = 0;
  for (let i = 0; i < digits; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + <i64>(c - 0x30);
  }
  return n * unit;
}
