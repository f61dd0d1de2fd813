// Random strings into the HTTP helpers: results or reasons, never a trap.
import { parseMediaType, splitHeaderList, acceptsHtml, extractBearer, extractJwtLikeEnvoy, checkHeaderName,
  checkHeaderValue, canonicalHeaderName } from "../http";

let seed: u32 = 777;
function rnd(): u32 {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}
const PIECES: string[] = ["text", "/", "html", ";", "=", "\"", "\\", ",", " ", "\t", "q", "0", ".", "Bearer ",
  "boundary", "multipart", "\u0000", "\u007f", "é", "x-", "A", ":", "*"];

function randomText(): string {
  let s = "";
  const n = rnd() % 12;
  for (let i: u32 = 0; i < n; i++) s += PIECES[rnd() % <u32>PIECES.length];
  return s;
}

describe("http fuzz", () => {
  it("helpers return values or reasons", () => {
    let parsed = 0;
    let bad = 0;
    for (let i = 0; i < 1500; i++) {
      const s = randomText();
      const m = parseMediaType(s);
      if (m.ok) {
        parsed++;
        m.boundary();
      } else if (m.error.length == 0) bad++;
      splitHeaderList(s);
      acceptsHtml(s);
      const b = extractBearer(s);
      if (!b.ok && b.error.length == 0) bad++;
      extractJwtLikeEnvoy(s);
      checkHeaderName(s, true);
      checkHeaderValue(s);
      canonicalHeaderName(s);
    }
    expect(parsed > 0).toBe(true);
    expect(bad).toBe(0);
  });
});
