import { JSON, JsonKind, JsonErrorCode, JsonOptions, JsonValue } from "../json";

function code(text: string, opts: JsonOptions = new JsonOptions()): JsonErrorCode {
  const r = JSON.parseString(text, opts);
  return r.ok ? JsonErrorCode.None : r.error!.code;
}

describe("json parse: accepts", () => {
  it("scalars", () => {
    expect(JSON.parseString("true").value.bool).toBe(true);
    expect(JSON.parseString(" null ").value.kind).toBe(JsonKind.Null);
    expect(JSON.parseString("-12.5e1").value.num).toBe(-125.0);
    expect(JSON.parseString("\"a\\u00e9\\ud83d\\ude00\\n\"").value.str).toBe("aé😀\n");
  });
  it("objects keep order and nesting", () => {
    const r = JSON.parseString('{"b":[1,2,{"c":null}],"a":"x"}');
    expect(r.ok).toBe(true);
    expect(r.value.keys!.join(",")).toBe("b,a");
    expect(r.value.get("b")!.at(2)!.get("c")!.isNull).toBe(true);
    expect(r.value.get("a")!.str).toBe("x");
  });
  it("exact i64 integers", () => {
    const v = JSON.parseString("9223372036854775807").value;
    expect(v.isInt).toBe(true);
    expect(v.int).toBe(i64.MAX_VALUE);
    const w = JSON.parseString("-9223372036854775808").value;
    expect(w.int).toBe(i64.MIN_VALUE);
    expect(JSON.parseString("9223372036854775808").value.isInt).toBe(false);
    expect(JSON.parseString("1.0").value.isInt).toBe(false);
  });
  it("numbers round correctly", () => {
    expect(JSON.parseString("0.1").value.num).toBe(0.1);
    expect(JSON.parseString("1e-7").value.num).toBe(1e-7);
    expect(JSON.parseString("2.2250738585072014e-308").value.num).toBe(2.2250738585072014e-308);
    expect(JSON.parseString("123456789012345678901234567890").value.num).toBe(1.2345678901234568e29);
    expect(JSON.parseString("1e-400").value.num).toBe(0.0);
    expect(JSON.parseString("0.000001234").value.num).toBe(0.000001234);
  });
  it("duplicate keys: last wins unless rejected", () => {
    expect(JSON.parseString('{"a":1,"a":2}').value.get("a")!.num).toBe(2.0);
    expect(code('{"a":1,"a":2}', new JsonOptions().noDuplicates())).toBe(JsonErrorCode.DuplicateKey);
  });
  it("many keys use the index and still find the last duplicate", () => {
    let s = "{";
    for (let i = 0; i < 100; i++) s += '"k' + i.toString() + '":' + i.toString() + ",";
    s += '"k5":"last"}';
    const v = JSON.parseString(s).value;
    expect(v.get("k99")!.num).toBe(99.0);
    expect(v.get("k5")!.str).toBe("last");
    expect(code(s, new JsonOptions().noDuplicates())).toBe(JsonErrorCode.DuplicateKey);
  });
});

describe("json parse: rejects", () => {
  it("trailing commas", () => {
    expect(code("[1,]")).toBe(JsonErrorCode.TrailingComma);
    expect(code('{"a":1,}')).toBe(JsonErrorCode.TrailingComma);
  });
  it("bad escapes and lone surrogates", () => {
    expect(code('"\\x"')).toBe(JsonErrorCode.BadEscape);
    expect(code('"\\u12"')).toBe(JsonErrorCode.BadEscape);
    expect(code('"\\u12G4"')).toBe(JsonErrorCode.BadEscape);
    expect(code('"\\ud800"')).toBe(JsonErrorCode.LoneSurrogate);
    expect(code('"\\udc00"')).toBe(JsonErrorCode.LoneSurrogate);
    expect(code('"\\ud800\\u0041"')).toBe(JsonErrorCode.LoneSurrogate);
  });
  it("control characters and invalid UTF-8 in strings", () => {
    expect(code('"a\nb"')).toBe(JsonErrorCode.ControlCharInString);
    const bad = new Uint8Array(4);
    bad[0] = 0x22; bad[1] = 0xc0; bad[2] = 0x80; bad[3] = 0x22; // overlong NUL
    expect(JSON.parse(bad).error!.code).toBe(JsonErrorCode.InvalidUtf8);
    bad[1] = 0xed; bad[2] = 0xa0; // encoded surrogate, truncated
    expect(JSON.parse(bad).error!.code).toBe(JsonErrorCode.InvalidUtf8);
  });
  it("malformed numbers", () => {
    expect(code("01")).toBe(JsonErrorCode.LeadingZero);
    expect(code("-01")).toBe(JsonErrorCode.LeadingZero);
    expect(code("1.")).toBe(JsonErrorCode.UnexpectedEnd);
    expect(code("1.e3")).toBe(JsonErrorCode.BadNumber);
    expect(code(".5")).toBe(JsonErrorCode.UnexpectedChar);
    expect(code("+1")).toBe(JsonErrorCode.UnexpectedChar);
    expect(code("-")).toBe(JsonErrorCode.UnexpectedEnd);
    expect(code("1e")).toBe(JsonErrorCode.UnexpectedEnd);
    expect(code("NaN")).toBe(JsonErrorCode.UnexpectedChar);
    expect(code("0x10")).toBe(JsonErrorCode.TrailingData);
  });
  it("huge numbers", () => {
    expect(code("1e400")).toBe(JsonErrorCode.NumberOutOfRange);
    expect(code("-1e99999999999999999999")).toBe(JsonErrorCode.NumberOutOfRange);
    expect(code("1" + "0".repeat(400))).toBe(JsonErrorCode.NumberOutOfRange);
    expect(code("1" + "0".repeat(100000))).toBe(JsonErrorCode.NumberTooLong);
  });
  it("structure errors with offsets", () => {
    const r = JSON.parseString('{"a" 1}');
    expect(r.error!.code).toBe(JsonErrorCode.ExpectedColon);
    expect(r.message).toBe("expected ':' after key at byte 5");
    expect(code("{1:2}")).toBe(JsonErrorCode.ExpectedKey);
    expect(code("[1 2]")).toBe(JsonErrorCode.UnexpectedChar);
    expect(code("[1] x")).toBe(JsonErrorCode.TrailingData);
    expect(code("")).toBe(JsonErrorCode.UnexpectedEnd);
    expect(code("tru")).toBe(JsonErrorCode.UnexpectedEnd);
    expect(code("trux")).toBe(JsonErrorCode.UnexpectedChar);
    expect(code("\uFEFF{}")).toBe(JsonErrorCode.UnexpectedChar);
  });
  it("every truncation of a document", () => {
    const doc = '{"a":[1,-2.5e3,"x\\u00e9",true,null,{"b":{}}]}';
    const bytes = Uint8Array.wrap(String.UTF8.encode(doc));
    for (let n = 0; n < bytes.length; n++) {
      expect(JSON.parsePtr(bytes.dataStart, n).ok).toBe(false);
    }
    expect(JSON.parse(bytes).ok).toBe(true);
  });
  it("deep nesting: 100k '[' fails with a depth error, no trap", () => {
    const r = JSON.parseString("[".repeat(100000));
    expect(r.error!.code).toBe(JsonErrorCode.TooDeep);
    expect(r.error!.offset).toBe(64);
    expect(code("[".repeat(64) + "]".repeat(64))).toBe(JsonErrorCode.None);
    expect(code('{"a":'.repeat(65) + "1" + "}".repeat(65))).toBe(JsonErrorCode.TooDeep);
    expect(code("[".repeat(10) + "]".repeat(10), new JsonOptions().depth(5))).toBe(JsonErrorCode.TooDeep);
  });
  it("size limit", () => {
    expect(code("[1,2,3]", new JsonOptions().bytes(4))).toBe(JsonErrorCode.TooLarge);
    expect(code("[1,2,3]", new JsonOptions().bytes(7))).toBe(JsonErrorCode.None);
  });
});

describe("json writer", () => {
  it("round-trips a parsed tree", () => {
    const text = '{"s":"a\\"b\\\\c\\n\\u0001é😀","n":[0,-1,1.5,1e+21,9007199254740993],"t":true,"z":null,"o":{}}';
    const r = JSON.parseString(text);
    expect(r.ok).toBe(true);
    const out = JSON.stringify(r.value);
    expect(out.ok).toBe(true);
    expect(out.value).toBe('{"s":"a\\"b\\\\c\\n\\u0001é😀","n":[0,-1,1.5,1e+21,9007199254740993],"t":true,"z":null,"o":{}}');
  });
  it("refuses values it cannot write as JSON", () => {
    const a = JsonValue.array();
    a.push(JsonValue.number(NaN));
    expect(JSON.stringify(a).ok).toBe(false);
    const s = JsonValue.string(String.fromCharCode(0xd800));
    expect(JSON.stringify(s).error).toBe("string has a lone surrogate");
  });
});
