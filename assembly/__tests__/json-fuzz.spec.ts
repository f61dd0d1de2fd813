// Mutation fuzzing: hostile variants of valid documents must give an error value, never a trap,
// and the tree parser and the claim scanner (two separate validators) must agree on validity.
import { JSON, ClaimScanner, JsonReader, JsonOptions } from "../json";

let seed: u32 = 0x9e3779b9;
function rnd(): u32 {
  // xorshift32: deterministic, so a failure can be replayed
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}

const SEEDS: string[] = [
  '{"a":[1,2.5e-3,-0,true,false,null],"b":{"c":"x\\u00e9\\ud83d\\ude00\\n"},"exp":1700000000}',
  '{"iss":"https://issuer","aud":["a","b"],"nested":[[[]],{}],"n":-12.5E+3}',
  '{"k":"\\"\\\\\\/\\b\\f\\n\\r\\t","e":"é€😀","z":0}',
];
// Bytes that tend to break JSON: structure, quotes, escapes, digits, UTF-8 leads and continuations.
const SPICE: u8[] = [0x7b, 0x7d, 0x5b, 0x5d, 0x22, 0x5c, 0x2c, 0x3a, 0x30, 0x2d, 0x2e, 0x65, 0x75, 0x20,
  0x00, 0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xe0, 0xed, 0xf0, 0xf4, 0xf5, 0xff, 0x74, 0x6e];

function mutate(src: Uint8Array): Uint8Array {
  const n = src.length;
  const out = new Uint8Array(n + 8);
  let w = 0;
  const edits = 1 + <i32>(rnd() % 4);
  const at = new StaticArray<i32>(edits);
  for (let k = 0; k < edits; k++) at[k] = <i32>(rnd() % <u32>n);
  for (let i = 0; i < n; i++) {
    let op = -1;
    for (let k = 0; k < edits; k++) if (at[k] == i) op = <i32>(rnd() % 3);
    if (op == 0) continue; // delete
    if (op == 1) out[w++] = SPICE[rnd() % <u32>SPICE.length]; // insert
    if (op == 2) {
      out[w++] = SPICE[rnd() % <u32>SPICE.length]; // replace
      continue;
    }
    out[w++] = src[i];
  }
  const trunc = rnd() % 8 == 0 ? <i32>(rnd() % <u32>(w + 1)) : w;
  return out.subarray(0, trunc);
}

const scanner = new ClaimScanner(["not-present"], 64, 1 << 20);

describe("json fuzz", () => {
  it("parser, scanner and reader never trap and agree on validity", () => {
    let valid = 0;
    let invalid = 0;
    let disagree = 0;
    let unstable = 0;
    for (let s = 0; s < SEEDS.length; s++) {
      const src = Uint8Array.wrap(String.UTF8.encode(SEEDS[s]));
      for (let i = 0; i < 600; i++) {
        const doc = mutate(src);
        const r = JSON.parse(doc);
        if (scanner.scanBytes(doc) != (r.ok && r.value.isObject)) disagree++;
        const rd = JsonReader.parse(doc);
        rd.str("a");
        rd.optArr("aud");
        if (r.ok) {
          valid++;
          // Writing and re-reading is a fixed point.
          const once = JSON.stringify(r.value);
          const again = JSON.parseString(once.value);
          if (!once.ok || !again.ok || JSON.stringify(again.value).value != once.value) unstable++;
        } else {
          invalid++;
          if (r.message.length == 0) unstable++;
        }
      }
    }
    expect(disagree).toBe(0);
    expect(unstable).toBe(0);
    expect(valid > 20).toBe(true);
    expect(invalid > 1000).toBe(true);
  });
  it("pathological shapes", () => {
    expect(JSON.parseString("{".repeat(100000)).ok).toBe(false);
    expect(JSON.parseString('{"a":'.repeat(50000)).ok).toBe(false);
    expect(JSON.parseString("[" + "1,".repeat(100000) + "1]", new JsonOptions().bytes(1 << 21)).value.length).toBe(100001);
    expect(JSON.parseString('"' + "\\u0041".repeat(50000) + '"').value.str.length).toBe(50000);
    expect(JSON.parseString("-" + "9".repeat(600)).ok).toBe(false);
    expect(JSON.parseString("0." + "0".repeat(400) + "1").value.num).toBe(0.0);
    expect(JSON.parseString("1e-99999999999").value.num).toBe(0.0);
  });
});
