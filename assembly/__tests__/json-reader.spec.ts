import { JsonReader, JsonOptions } from "../json";

const CONFIG = '{"jwtRules":[{"issuer":"https://a","audiences":["x","y"],"clockSkew":30},' +
  '{"issuer":7}],"forward":true,"weird key":{"a.b":1}}';

describe("json reader", () => {
  it("reads typed fields", () => {
    const r = JsonReader.parseString(CONFIG);
    const rules = r.arr("jwtRules");
    expect(rules.length).toBe(2);
    expect(rules[0].str("issuer")).toBe("https://a");
    expect(rules[0].strArr("audiences").join(",")).toBe("x,y");
    expect(rules[0].int("clockSkew", 0, 300)).toBe(30);
    expect(rules[0].optInt("timeout", 5)).toBe(5);
    expect(rules[0].optStr("jwksUri", "none")).toBe("none");
    expect(r.bool("forward")).toBe(true);
    expect(r.ok).toBe(true);
  });
  it("reports the path of a wrong type", () => {
    const r = JsonReader.parseString(CONFIG);
    const rules = r.arr("jwtRules");
    expect(rules[1].str("issuer")).toBe("");
    expect(r.ok).toBe(false);
    expect(r.error).toBe("`jwtRules[1].issuer`: expected string, got number");
  });
  it("keeps the first error", () => {
    const r = JsonReader.parseString(CONFIG);
    r.str("missing");
    r.bool("jwtRules");
    expect(r.error).toBe("`missing`: required string is missing");
  });
  it("reports array elements, ranges and odd keys", () => {
    const a = JsonReader.parseString('{"aud":["x",2]}');
    a.strArr("aud");
    expect(a.error).toBe("`aud[1]`: expected string, got number");
    const b = JsonReader.parseString('{"n":1.5}');
    b.int("n");
    expect(b.error).toBe("`n`: expected integer, got 1.5");
    const c = JsonReader.parseString('{"n":500}');
    c.int("n", 0, 300);
    expect(c.error).toBe("`n`: must be between 0 and 300");
    const d = JsonReader.parseString(CONFIG);
    d.obj("weird key").str("a.b");
    expect(d.error).toBe('`["weird key"]["a.b"]`: expected string, got number');
  });
  it("rejects unknown fields when asked", () => {
    const r = JsonReader.parseString('{"issuer":"a","isuer":"b"}');
    r.allowOnly(["issuer"]);
    expect(r.error).toBe("`isuer`: unknown field");
  });
  it("wrong root and syntax errors", () => {
    const r = JsonReader.parseString("[1]");
    r.str("a");
    expect(r.error).toBe("`$`: expected object, got array");
    const s = JsonReader.parseString('{"a":}');
    expect(s.error).toBe("invalid JSON: unexpected character at byte 5");
    expect(s.str("a")).toBe("");
    const t = JsonReader.parseString('{"a":1,"a":2}', new JsonOptions().noDuplicates());
    expect(t.error).toBe("invalid JSON: duplicate key at byte 7");
  });
  it("enums", () => {
    const r = JsonReader.parseString('{"mode":"FAIL_OPEN","bad":"SOMETIMES"}');
    expect(r.oneOf("mode", ["FAIL_OPEN", "FAIL_CLOSE"])).toBe("FAIL_OPEN");
    expect(r.oneOf("absent", ["A", "B"], "B")).toBe("B");
    expect(r.ok).toBe(true);
    expect(r.oneOf("bad", ["FAIL_OPEN", "FAIL_CLOSE"], "FAIL_CLOSE")).toBe("FAIL_CLOSE");
    expect(r.error).toBe('`bad`: must be one of FAIL_OPEN, FAIL_CLOSE, got "SOMETIMES"');
  });
  it("map-like objects", () => {
    const r = JsonReader.parseString('{"headers":{"x-a":"1","x-b":"2"}}');
    const h = r.obj("headers");
    const keys = h.keys();
    expect(keys.join(",")).toBe("x-a,x-b");
    expect(h.child("x-b").asStr()).toBe("2");
    h.child("x-a").asNum();
    expect(r.error).toBe("`headers.x-a`: expected number, got string");
  });
});
