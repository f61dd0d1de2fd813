import { JsonKind, parseJson } from "../json";

function fails(text: string): string {
  const r = parseJson(text);
  expect(r.value).toBeNull(text);
  return r.error;
}

describe("json", () => {
  it("parses objects, arrays and scalars", () => {
    const r = parseJson(' {"a": [1, -2.5e3, true, false, null, "x"], "b": {"c": ""}} ');
    const v = r.value!;
    expect(v.isObject).toBe(true);
    const a = v.get("a")!;
    expect(a.items.length).toBe(6);
    expect(a.items[0].num).toBe(1.0);
    expect(a.items[1].num).toBe(-2500.0);
    expect(a.items[2].bool).toBe(true);
    expect(a.items[3].kind).toBe(JsonKind.Bool);
    expect(a.items[4].isNull).toBe(true);
    expect(a.items[5].str).toBe("x");
    expect(v.get("b")!.get("c")!.str).toBe("");
    expect(v.get("missing")).toBeNull();
  });

  it("decodes escapes and UTF-8", () => {
    const v = parseJson('"a\\n\\t\\"\\\\\\/\\u00e9\\u20ac\\ud83d\\ude00é€"').value!;
    expect(v.str).toBe("a\n\t\"\\/é€😀é€");
    expect(parseJson('"plain ascii"').value!.str).toBe("plain ascii");
  });

  it("checks integer ranges", () => {
    expect(parseJson("42").value!.isIntegerIn(0, 100)).toBe(true);
    expect(parseJson("4.5").value!.isIntegerIn(0, 100)).toBe(false);
    expect(parseJson("420").value!.isIntegerIn(0, 100)).toBe(false);
    expect(parseJson('"4"').value!.isIntegerIn(0, 100)).toBe(false);
  });

  it("rejects malformed documents with a position", () => {
    expect(fails("")).toBe("unexpected end of input at byte 0");
    expect(fails("{\"a\":1,}")).toBe("expected a string key at byte 7");
    expect(fails("[1,]")).toBe("unexpected character at byte 3");
    expect(fails("{} x")).toBe("unexpected data after the document at byte 3");
    expect(fails("01")).toBe("unexpected data after the document at byte 1");
    expect(fails("1.")).toBe("invalid number at byte 2");
    expect(fails("-")).toBe("invalid number at byte 1");
    expect(fails("tru")).toBe("invalid literal at byte 3");
    expect(fails('"a\nb"')).toBe("control character in string at byte 2");
    expect(fails('"\\x"')).toBe("invalid escape at byte 2");
    expect(fails('"\\ud800"')).toBe("lone surrogate escape at byte 7");
    expect(fails('"\\udc00"')).toBe("lone surrogate escape at byte 7");
    expect(fails('"abc')).toBe("unterminated string at byte 4");
    expect(fails('{"a":1,"a":2}')).toBe("duplicate key \"a\" at byte 10");
    expect(fails("// comment\n{}")).toBe("unexpected character at byte 0");
  });

  it("rejects invalid UTF-8 and deep nesting without trapping", () => {
    const bad = new Uint8Array(4);
    bad[0] = 0x22; bad[1] = 0xC0; bad[2] = 0xAF; bad[3] = 0x22; // overlong "/"
    let r = parseJsonBytesOf(bad);
    expect(r).toBe("invalid UTF-8 at byte 1");
    let deep = "";
    for (let i = 0; i < 100; i++) deep += "[";
    expect(fails(deep)).toBe("nesting too deep at byte 65");
  });
});

import { parseJsonBytes } from "../json";
function parseJsonBytesOf(b: Uint8Array): string {
  return parseJsonBytes(b.dataStart, b.length).error;
}
