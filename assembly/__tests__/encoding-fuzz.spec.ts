// Random bytes into every decoder: each returns ok or an error value, never traps.
import {
  base64DecodePtr, Base64Options, Padding, hexDecodePtr, percentDecodePtr, PercentOptions, parseQueryPtr,
  QueryOptions, getCookiePtr, parseCookiesPtr, normalizePathPtr, PathOptions, utf8InvalidAt, base64EncodeToBytes,
} from "../encoding";

let seed: u32 = 12345;
function rnd(): u32 {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}
const ALPHA: u8[] = [0x41, 0x5a, 0x61, 0x7a, 0x30, 0x39, 0x2b, 0x2f, 0x2d, 0x5f, 0x3d, 0x25, 0x26, 0x3b, 0x22,
  0x2e, 0x5c, 0x3f, 0x20, 0x0a, 0x00, 0x80, 0xc3, 0xa9, 0xff, 0x32, 0x65, 0x45];

function randomBytes(): Uint8Array {
  const n = <i32>(rnd() % 40);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = rnd() % 4 == 0 ? <u8>rnd() : ALPHA[rnd() % <u32>ALPHA.length];
  return b;
}

describe("encoding fuzz", () => {
  it("decoders return values or reasons", () => {
    let okB64 = 0;
    let bad = 0;
    const lenient = new QueryOptions();
    lenient.strict = false;
    for (let i = 0; i < 2000; i++) {
      const b = randomBytes();
      const p = b.dataStart;
      const n = b.length;
      const d = base64DecodePtr(p, n, Base64Options.standard().withPadding(Padding.Optional).withWhitespace());
      if (d.ok) {
        okB64++;
        // Whatever strict decoding accepts re-encodes to the same characters (canonical form).
        const strict = base64DecodePtr(p, n);
        if (strict.ok) {
          const again = base64EncodeToBytes(strict.value.dataStart, strict.value.length);
          if (again.length != n) bad++;
          else for (let k = 0; k < n; k++) if (again[k] != b[k]) bad++;
        }
      } else if (d.error.length == 0) bad++;
      base64DecodePtr(p, n, Base64Options.urlSafe());
      hexDecodePtr(p, n);
      percentDecodePtr(p, n);
      percentDecodePtr(p, n, PercentOptions.form().lenient());
      parseQueryPtr(p, n);
      parseQueryPtr(p, n, lenient);
      getCookiePtr(p, n, "a");
      parseCookiesPtr(p, n);
      normalizePathPtr(p, n, PathOptions.both());
      utf8InvalidAt(p, n);
    }
    expect(okB64 > 0).toBe(true);
    expect(bad).toBe(0);
  });
  it("negative lengths are treated as empty", () => {
    expect(hexDecodePtr(0, -2).ok).toBe(true);
    expect(percentDecodePtr(0, -1).value.length).toBe(0);
    expect(normalizePathPtr(0, -5).value).toBe("/");
    expect(base64EncodeToBytes(0, -3).length).toBe(0);
  });
});
