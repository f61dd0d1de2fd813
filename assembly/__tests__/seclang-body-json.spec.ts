// application/json flattened as Coraza does it (json.a.b, json.a.0, array lengths, raw numbers).
import { PairList, utf8, latin1 } from "../seclang/types";
import { parseJson, parseJsonLimited } from "../seclang/body";

let lastError = "";
function flat(s: string, depth: i32 = 64): string {
  const out = new PairList();
  lastError = parseJson(utf8(s), out, depth);
  const parts = new Array<string>();
  for (let i = 0; i < out.length; i++) parts.push(latin1(out.at(i).name) + "=" + latin1(out.at(i).value));
  return parts.join("|");
}

describe("parseJson", () => {
  it("names leaves by their path", () => {
    expect(flat('{"a":{"b":"x","c":1}}')).toBe("json.a.b=x|json.a.c=1");
    expect(lastError).toBe("");
  });
  it("names array elements by index and adds the array length", () => {
    expect(flat('{"a":[true,false,null]}')).toBe("json.a.0=true|json.a.1=false|json.a.2=|json.a=3");
  });
  it("reads a top-level array and a top-level scalar as Coraza does", () => {
    expect(flat("[1,[2]]")).toBe("json.0=1|json.1.0=2|json.1=1|json=2");
    expect(flat('"s"')).toBe("json.0=s|json=1");
  });
  it("keeps numbers as written", () => {
    expect(flat('{"n":-1.50e+3,"m":0.0}')).toBe("json.n=-1.50e+3|json.m=0.0");
  });
  it("unescapes strings to UTF-8, keys included", () => {
    expect(flat('{"k\\u00e9\\n":"\\ud83d\\ude00\\"\\/"}')).toBe("json.k\xC3\xA9\n=\xF0\x9F\x98\x80\"/");
  });
  it("turns a lone surrogate into U+FFFD as Go does", () => {
    expect(flat('{"a":"\\ud800x"}')).toBe("json.a=\xEF\xBF\xBDx");
  });
  it("keeps invalid UTF-8 bytes (gjson does not check them)", () => {
    const body = utf8('{"a":"xx"}');
    body[6] = 0xbf;
    body[7] = 0x27;
    const out = new PairList();
    expect(parseJson(body, out, 8)).toBe("");
    expect(out.at(0).value[0]).toBe(0xbf);
  });
  it("keeps duplicate keys and paths that collide", () => {
    expect(flat('{"a":1,"a":2,"b.c":3,"b":{"c":4}}')).toBe("json.a=1|json.a=2|json.b.c=3|json.b.c=4");
  });
  it("adds nothing for empty containers", () => {
    expect(flat('{"a":{},"b":[]}')).toBe("");
    expect(lastError).toBe("");
  });
  it("reports malformed documents and keeps what came before", () => {
    expect(flat('{"a":1,"b":[1,}')).toBe("json.a=1|json.b.0=1");
    expect(lastError).toBe("invalid JSON: trailing comma at byte 14");
    flat('{"a":1} x');
    expect(lastError).toBe("invalid JSON: data after the JSON value at byte 8");
    flat(" ");
    expect(lastError).toBe("invalid JSON: unexpected end of input at byte 1");
    expect(flat("")).toBe("");
    expect(lastError).toBe(""); // an empty body is no document, as in Coraza
    flat('{"a":"\x01"}');
    expect(lastError).toBe("invalid JSON: unescaped control character in string at byte 6");
    flat('{"a":01}');
    expect(lastError.startsWith("invalid JSON")).toBe(true);
    flat('{"a":"\\x"}');
    expect(lastError.startsWith("invalid JSON: invalid escape")).toBe(true);
  });
  it("enforces the depth limit (the root counts as 1)", () => {
    expect(flat('{"a":{"b":1}}', 2)).toBe("json.a.b=1");
    expect(lastError).toBe("");
    flat('{"a":{"b":[1]}}', 2);
    expect(lastError).toBe("max recursion reached while reading JSON (deeper than 2)");
  });
  it("survives 100 000 nested arrays without recursion", () => {
    const out = new PairList();
    const deep = new Uint8Array(100000).fill(0x5b);
    expect(parseJson(deep, out, 1024).startsWith("max recursion")).toBe(true);
  });
  it("caps the flattened size at 8 x the body (at least 4 KiB) as Coraza does", () => {
    // 700 levels of {"aaaaaaaaaa": ...}: each leaf name repeats the whole path.
    let s = "";
    for (let i = 0; i < 700; i++) s += '{"aaaaaaaaaa":';
    s += "[";
    for (let i = 0; i < 200; i++) s += (i > 0 ? "," : "") + "1";
    s += "]";
    for (let i = 0; i < 700; i++) s += "}";
    const out = new PairList();
    const err = parseJson(utf8(s), out, 1024);
    expect(err.startsWith("flattened JSON exceeds")).toBe(true);
  });
  it("stops adding at the argument limit but still validates the rest", () => {
    const out = new PairList();
    const r = parseJsonLimited(utf8('{"a":1,"b":2,"c":3}'), out, 8, 2);
    expect(out.length).toBe(2);
    expect(r.truncated).toBe(true);
    expect(r.error).toBe("");
    const bad = parseJsonLimited(utf8('{"a":1,"b":2,"c":}'), new PairList(), 8, 1);
    expect(bad.error.startsWith("invalid JSON")).toBe(true);
  });
});
