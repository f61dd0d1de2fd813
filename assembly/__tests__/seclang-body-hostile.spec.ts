// Hostile bodies: mutated, truncated, huge and pathological inputs must give results or error values,
// never a trap, and the work must stay linear (checked by sizes that would time out if it were not).
import { PairList, utf8 } from "../seclang/types";
import { parseUrlencoded, parseJson, parseXml, parseMultipart, XmlResult, MultipartResult } from "../seclang/body";

let seed: u32 = 0x2545f491;
function rnd(): u32 {
  // xorshift32: deterministic, so a failure can be replayed
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}

const SEEDS: string[] = [
  '{"a":[1,-2.5e3,true,null,{"b":"x\\u00e9\\ud83d\\ude00"}],"c":{}}',
  '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><a k="v&amp;"><b><![CDATA[z]]></b><!--c-->t&#65;</a>',
  '--xx\r\nContent-Disposition: form-data; name="a"; filename*=UTF-8\'\'%41\r\nContent-Type: x\r\n\r\nv\r\n--xx--\r\n',
  "a=1&b=%41+%zz&&c",
];
const SPICE: u8[] = [0x00, 0x0a, 0x0d, 0x20, 0x22, 0x27, 0x25, 0x26, 0x2d, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x5b,
  0x5c, 0x5d, 0x7b, 0x7d, 0x80, 0xbf, 0xc3, 0xed, 0xff, 0x78];

function mutate(src: Uint8Array): Uint8Array {
  const n = src.length;
  const out = new Uint8Array(n + 8);
  let w = 0;
  const at = <i32>(rnd() % <u32>n);
  const kind = rnd() % 4;
  for (let i = 0; i < n; i++) {
    if (i == at) {
      if (kind == 0) continue; // delete
      if (kind == 1) out[w++] = SPICE[rnd() % <u32>SPICE.length]; // insert
      if (kind == 2) {
        out[w++] = SPICE[rnd() % <u32>SPICE.length]; // replace
        continue;
      }
      if (kind == 3) return out.subarray(0, w); // truncate
    }
    out[w++] = src[i];
  }
  return out.subarray(0, w);
}

function runAll(b: Uint8Array): void {
  parseUrlencoded(b, new PairList());
  parseJson(b, new PairList(), 64);
  parseXml(b, new XmlResult());
  parseMultipart(b, "multipart/form-data; boundary=xx", new MultipartResult());
}

describe("hostile bodies", () => {
  it("never trap on 2 000 mutated documents (each fed to every processor)", () => {
    for (let s = 0; s < SEEDS.length; s++) {
      let cur = utf8(SEEDS[s]);
      for (let i = 0; i < 500; i++) {
        const m = mutate(cur);
        runAll(m);
        // Keep walking from mutated documents now and then so edits accumulate.
        cur = (rnd() & 3) == 0 && m.length > 8 ? m : utf8(SEEDS[s]);
      }
    }
    expect(true).toBe(true);
  });
  it("never trap on random bytes", () => {
    const b = new Uint8Array(512);
    for (let k = 0; k < 40; k++) {
      for (let i = 0; i < b.length; i++) b[i] = <u8>rnd();
      runAll(b);
    }
    expect(true).toBe(true);
  });
  it("stay linear on a boundary made of one repeated byte", () => {
    // A naive search would compare ~900 bytes at each of 200 000 positions.
    const ct = "multipart/form-data; boundary=" + "-".repeat(900) + "x";
    const body = new Uint8Array(200000).fill(0x2d);
    const out = new MultipartResult();
    expect(parseMultipart(body, ct, out)).toBe("Multipart: No boundaries found in payload.");
  });
  it("handle 100 000 tiny form pairs and 5 000 multipart parts", () => {
    const form = new Uint8Array(200000).fill(0x26);
    for (let i = 0; i < form.length; i += 2) form[i] = 0x61;
    const pairs = new PairList();
    parseUrlencoded(form, pairs);
    expect(pairs.length).toBe(100000);
    const part = '--xx\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n';
    const s = part.repeat(5000) + "--xx--\r\n";
    const out = new MultipartResult();
    expect(parseMultipart(utf8(s), "multipart/form-data; boundary=xx", out)).toBe("");
    expect(out.args.length).toBe(5000);
  });
  it("handle deep JSON and XML nesting within their limits", () => {
    const j = "[".repeat(30) + "]".repeat(30);
    expect(parseJson(utf8(j), new PairList(), 30)).toBe("");
    // 1000 levels: every level's length entry repeats the path, past Coraza's byte budget.
    const k = "[".repeat(1000) + "]".repeat(1000);
    expect(parseJson(utf8(k), new PairList(), 1000).startsWith("flattened JSON exceeds")).toBe(true);
    const x = "<a>".repeat(256) + "t" + "</a>".repeat(256);
    const xr = new XmlResult();
    expect(parseXml(utf8(x), xr)).toBe("");
    expect(xr.texts.length).toBe(1);
  });
  it("handle a header line of 20 000 bytes and 2 000 headers in one part", () => {
    const long = "--xx\r\nContent-Disposition: form-data; name=\"a\"; x=\"" + "y".repeat(20000) + "\"\r\n\r\nv\r\n--xx--\r\n";
    const out = new MultipartResult();
    expect(parseMultipart(utf8(long), "multipart/form-data; boundary=xx", out)).toBe("Multipart: Part header line over 4096 bytes long");
    const lines = new Array<string>();
    for (let i = 0; i < 2000; i++) lines.push("X-H" + i.toString() + ": v\r\n");
    const many = "--xx\r\n" + lines.join("") + 'Content-Disposition: form-data; name="a"\r\n\r\nv\r\n--xx--\r\n';
    const out2 = new MultipartResult();
    expect(parseMultipart(utf8(many), "multipart/form-data; boundary=xx", out2)).toBe("Multipart: More than 64 headers in a part.");
    expect(out2.partHeaders.length).toBe(64);
  });
});
