// application/x-www-form-urlencoded: Coraza/ModSecurity ARGS_POST semantics.
import { PairList, utf8, latin1 } from "../seclang/types";
import { parseUrlencoded, parseUrlencodedLimited } from "../seclang/body";

function parse(s: string, sep: u8 = 0x26): string {
  const out = new PairList();
  parseUrlencoded(utf8(s), out, sep);
  return dump(out);
}

function dump(out: PairList): string {
  const parts = new Array<string>();
  for (let i = 0; i < out.length; i++) parts.push(latin1(out.at(i).name) + "=" + latin1(out.at(i).value));
  return parts.join("|");
}

describe("parseUrlencoded", () => {
  it("splits pairs and keeps duplicates in order", () => {
    expect(parse("a=1&b=2&a=3")).toBe("a=1|b=2|a=3");
  });
  it("gives a name without '=' an empty value and skips empty pairs", () => {
    expect(parse("a&&b=&=v&")).toBe("a=|b=|=v");
  });
  it("splits on the first '=' only", () => {
    expect(parse("a=b=c")).toBe("a=b=c");
  });
  it("decodes '+' and valid %XX in names and values", () => {
    expect(parse("na+me=%41%62+c%2B%26")).toBe("na me=Ab c+&");
  });
  it("leaves invalid escapes as they are", () => {
    expect(parse("a=%zz%4%%41%")).toBe("a=%zz%4%A%");
  });
  it("keeps raw bytes (no UTF-8 check) and NUL", () => {
    const out = new PairList();
    const body = new Uint8Array(5);
    body[0] = 0x61; body[1] = 0x3d; body[2] = 0xff; body[3] = 0x25; body[4] = 0x30;
    parseUrlencoded(body, out);
    expect(out.at(0).value.length).toBe(3);
    expect(out.at(0).value[0]).toBe(0xff);
    const nul = new PairList();
    parseUrlencoded(utf8("a=%00"), nul);
    expect(nul.at(0).value.length).toBe(1);
    expect(nul.at(0).value[0]).toBe(0);
  });
  it("takes another separator", () => {
    expect(parse("a=1;b=2&c", 0x3b)).toBe("a=1|b=2&c");
  });
  it("stops at the argument limit and says so", () => {
    const out = new PairList();
    expect(parseUrlencodedLimited(utf8("a=1&b=2&c=3"), out, 0x26, 2)).toBe(true);
    expect(dump(out)).toBe("a=1|b=2");
    const exact = new PairList();
    expect(parseUrlencodedLimited(utf8("a=1&b=2&&"), exact, 0x26, 2)).toBe(false);
  });
  it("accepts an empty body", () => {
    expect(parse("")).toBe("");
  });
});
