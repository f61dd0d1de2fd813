import { Header, PairsView, serializePairs } from "../pairs";
import { BytesView, hex, utf8 } from "../bytes";

describe("pairs", () => {
  it("serializes in the host's layout", () => {
    const b = serializePairs([new Header("a", "1"), new Header("b", "22")])!;
    expect(hex(b)).toBe("0200000001000000010000000100000002000000" + "61003100" + "6200323200");
    expect(b.byteLength).toBe(29);
  });

  it("reads back what it wrote, zero-copy", () => {
    const b = serializePairs([new Header(":path", "/x"), new Header("é", ""), new Header("k", "v")])!;
    const v = new PairsView(changetype<usize>(b), b.byteLength);
    expect(v.count).toBe(3);
    expect(v.nameAt(0).toString()).toBe(":path");
    expect(v.valueAt(0).toString()).toBe("/x");
    expect(v.nameAt(1).toString()).toBe("é");
    expect(v.valueAt(1).length).toBe(0);
    expect(v.get(":path")!.equals("/x")).toBe(true);
    expect(v.get(utf8("k"))!.equals(utf8("v"))).toBe(true);
    expect(v.get("nope")).toBeNull();
    expect(v.nameAt(7).length).toBe(0);
    const all = v.toHeaders();
    expect(all[2].name).toBe("k");
  });

  it("reads malformed or truncated blocks as empty", () => {
    const b = serializePairs([new Header("abc", "def")])!;
    expect(new PairsView(changetype<usize>(b), b.byteLength - 1).count).toBe(0);
    expect(new PairsView(changetype<usize>(b), 3).count).toBe(0);
    store<u32>(changetype<usize>(b), 0x7FFFFFFF); // absurd count
    expect(new PairsView(changetype<usize>(b), b.byteLength).count).toBe(0);
    expect(new PairsView(0, 0).count).toBe(0);
  });

  it("refuses maps the host would drop", () => {
    const many = new Array<Header>();
    for (let i = 0; i < 1025; i++) many.push(new Header("k", "v"));
    expect(serializePairs(many)).toBeNull();
  });
});

describe("bytes", () => {
  it("compares UTF-8 with strings without decoding", () => {
    const b = utf8("héllo 😀");
    const v = new BytesView(changetype<usize>(b), b.byteLength);
    expect(v.equals("héllo 😀")).toBe(true);
    expect(v.equals("héllo")).toBe(false);
    expect(v.equals("héllo 😁")).toBe(false);
    expect(v.slice(0, 1).equals("h")).toBe(true);
    expect(v.slice(-5, 100).length).toBe(b.byteLength);
    expect(v.at(1000)).toBe(0);
  });
});
