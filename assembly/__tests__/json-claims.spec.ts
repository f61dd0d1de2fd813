import { ClaimScanner, JsonErrorCode } from "../json";

function bytes(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

// Module-level: as-pect callbacks cannot capture locals.
const sc = new ClaimScanner(["exp", "iss", "aud", "nbf"]);
const EXP = sc.indexOf("exp");
const ISS = sc.indexOf("iss");
const AUD = sc.indexOf("aud");
const NBF = sc.indexOf("nbf");
let DOC = new Uint8Array(0);
let SINK = new Uint8Array(0);

describe("claim scanner", () => {

  it("finds requested claims and skips the rest", () => {
    const ok = sc.scanBytes(bytes('{"sub":"u","nested":{"exp":1,"a":[{},[],"x"]},"exp":1700000000,' +
      '"iss":"https://issuer.example","aud":["a","b\\u00e9"],"extra":[1,2.5e3,true,null]}'));
    expect(ok).toBe(true);
    expect(sc.isInt(EXP)).toBe(true);
    expect(sc.int(EXP)).toBe(1700000000);
    expect(sc.str(ISS)).toBe("https://issuer.example");
    expect(sc.strEquals(ISS, bytes("https://issuer.example"))).toBe(true);
    expect(sc.strEquals(ISS, bytes("https://issuer.exampl"))).toBe(false);
    expect(sc.containsString(AUD, bytes("bé"))).toBe(true);
    expect(sc.containsString(AUD, bytes("c"))).toBe(false);
    expect(sc.strings(AUD).join(",")).toBe("a,bé");
    expect(sc.has(NBF)).toBe(false);
  });
  it("matches keys written with escapes", () => {
    expect(sc.scanBytes(bytes('{"\\u0065xp":5,"i\\u0073s":"\\u0041"}'))).toBe(true);
    expect(sc.num(EXP)).toBe(5.0);
    expect(sc.str(ISS)).toBe("A");
    expect(sc.strEquals(ISS, bytes("A"))).toBe(true);
  });
  it("aud as a plain string", () => {
    expect(sc.scanBytes(bytes('{"aud":"only"}'))).toBe(true);
    expect(sc.containsString(AUD, bytes("only"))).toBe(true);
    expect(sc.has(EXP)).toBe(false);
  });
  it("array aud with non-string elements", () => {
    expect(sc.scanBytes(bytes('{"aud":[1,{"x":"b"},["b"],"b"]}'))).toBe(true);
    expect(sc.containsString(AUD, bytes("b"))).toBe(true);
    expect(sc.strings(AUD).join(",")).toBe("b");
  });
  it("rejects a repeated requested claim", () => {
    expect(sc.scanBytes(bytes('{"exp":1,"exp":2}'))).toBe(false);
    expect(sc.errorCode).toBe(JsonErrorCode.DuplicateKey);
    expect(sc.error).toBe("duplicate key at byte 9");
  });
  it("validates skipped values strictly", () => {
    expect(sc.scanBytes(bytes('{"x":[1,]}'))).toBe(false);
    expect(sc.errorCode).toBe(JsonErrorCode.TrailingComma);
    expect(sc.scanBytes(bytes('{"x":"\\q"}'))).toBe(false);
    expect(sc.errorCode).toBe(JsonErrorCode.BadEscape);
    expect(sc.scanBytes(bytes('{"x":01}'))).toBe(false);
    expect(sc.errorCode).toBe(JsonErrorCode.LeadingZero);
    expect(sc.scanBytes(bytes('{"x":1e999}'))).toBe(false);
    expect(sc.errorCode).toBe(JsonErrorCode.NumberOutOfRange);
    expect(sc.scanBytes(bytes('{"x":{"a" 1}}'))).toBe(false);
    expect(sc.errorCode).toBe(JsonErrorCode.ExpectedColon);
    expect(sc.scanBytes(bytes('[1]'))).toBe(false);
    expect(sc.errorCode).toBe(JsonErrorCode.NotAnObject);
    expect(sc.scanBytes(bytes('{} {}'))).toBe(false);
    expect(sc.errorCode).toBe(JsonErrorCode.TrailingData);
    expect(sc.scanBytes(bytes('{"x":[}'))).toBe(false);
    expect(sc.errorCode).toBe(JsonErrorCode.UnexpectedChar);
  });
  it("deep nesting and truncation", () => {
    expect(sc.scanBytes(bytes('{"x":' + "[".repeat(60000)))).toBe(false);
    expect(sc.errorCode).toBe(JsonErrorCode.TooDeep);
    const doc = bytes('{"a":[{"b":"c"}],"exp":12,"iss":"x"}');
    for (let n = 0; n < doc.length; n++) expect(sc.scan(doc.dataStart, n)).toBe(false);
    expect(sc.scanBytes(doc)).toBe(true);
  });
  it("size limit", () => {
    const small = new ClaimScanner(["a"], 8, 10);
    expect(small.scanBytes(bytes('{"a":12345678}'))).toBe(false);
    expect(small.errorCode).toBe(JsonErrorCode.TooLarge);
  });
  it("allocates nothing while skipping unrelated members", () => {
    let doc = "{";
    for (let i = 0; i < 200; i++) doc += '"k' + i.toString() + '":[1,"v",{"x":true},-2.5e-3],';
    doc += '"exp":1}';
    DOC = bytes(doc);
    sc.scanBytes(DOC);
    expect(allocatedDuring(noop)).toBe(false, "probe without work");
    expect(allocatedDuring(scanDoc)).toBe(false, "scans");
    expect(sc.ok).toBe(true);
  });
  it("the allocation probe sees nothing when nothing is allocated", () => {
    expect(allocatedDuring(noop)).toBe(false);
  });
  it("the allocation probe does see an allocation", () => {
    expect(allocatedDuring(allocSomething)).toBe(true);
  });
});

function scanDoc(): void {
  for (let i = 0; i < 20; i++) sc.scanBytes(DOC);
}
function noop(): void {}
function allocSomething(): void {
  SINK = new Uint8Array(8);
}

// Small blocks taken back to back from a large free region sit 32 bytes apart. Allocate until a
// run of 8 such neighbours shows we are in a large region, then check the block taken after
// `fn` still directly follows the one taken before it.
function allocatedDuring(fn: () => void): bool {
  const held = new StaticArray<usize>(8192);
  let n = 0;
  let run = 0;
  let prev = heap.alloc(16);
  held[n++] = prev;
  while (n < 8190 && run < 8) {
    const next = heap.alloc(16);
    held[n++] = next;
    run = next - prev == 32 ? run + 1 : 0;
    prev = next;
  }
  fn();
  const after = heap.alloc(16);
  for (let i = 0; i < n; i++) heap.free(held[i]);
  heap.free(after);
  return after - prev != 32;
}
