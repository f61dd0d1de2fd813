// libinjection in AssemblyScript: known verdicts (as libinjection-go gives them; the full differential
// test against it is test/seclang/libinjection.test.ts), and hostile input that must never trap.
import { detectSQLi, detectXSS } from "../seclang/libinjection/index";
import { utf8 } from "../seclang/types";

function orDash(fp: string | null): string {
  return fp == null ? "-" : fp;
}

function sqli(s: string): string {
  return orDash(detectSQLi(utf8(s)));
}

function xss(s: string): bool {
  return detectXSS(utf8(s));
}

let seed: u32 = 0x2545f491;
function rnd(): u32 {
  // xorshift32: deterministic, so a failure can be replayed
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}

describe("detectSQLi", () => {
  it("fingerprints classic injections", () => {
    expect(sqli("1' OR '1'='1")).toBe("s&sos");
    expect(sqli("1 OR 1=1")).toBe("1&1");
    expect(sqli("-1' and 1=1 union/* foo */select load_file('/etc/passwd')--")).toBe("s&1UE");
    expect(sqli("admin'--")).toBe("sc");
    expect(sqli("1; DROP TABLE users")).toBe("1;Tnn");
    expect(sqli("x' AND extractvalue(1,concat(0x7e,version()))--")).toBe("s&f(1");
    expect(sqli("1' or 1.e(1) or '1'='1")).toBe("s&(1)");
  });

  it("flags MySQL executable comments as evil", () => {
    expect(sqli("1/*!50000UNION*/SELECT 1")).toBe("X");
  });

  it("applies the false-positive rules", () => {
    expect(sqli("sexy and 17")).toBe("-");
    expect(sqli("sexy and 17<18")).toBe("n&1");
    expect(sqli("1 union")).toBe("-");
    expect(sqli("1234 --")).toBe("1c");
  });

  it("leaves benign values alone", () => {
    expect(sqli("")).toBe("-");
    expect(sqli("hello world")).toBe("-");
    expect(sqli("O'Reilly")).toBe("-");
    expect(sqli("john.doe@example.com")).toBe("-");
  });

  it("upper-cases keywords as Go does (long s is S)", () => {
    expect(sqli("\u017Felect 1 from t")).toBe(sqli("select 1 from t"));
  });

  it("reads a backslash-escaped quote as libinjection-go does", () => {
    expect(sqli("'a\\'b' or 1")).toBe("s&1");
    expect(sqli("a\\'b' or 1=1 -- ")).toBe("s&1c");
  });
});

describe("detectXSS", () => {
  it("detects tags, handlers, URLs, doctype and comment tricks", () => {
    expect(xss("<script>alert(1)</script>")).toBe(true);
    expect(xss("<img src=x onerror=alert(1)>")).toBe(true);
    expect(xss('<a href=" &#x6a;avascript:alert(1)">')).toBe(true);
    expect(xss('" onmouseover="alert(1)')).toBe(true);
    expect(xss("onerror=alert(1)")).toBe(true);
    expect(xss("<!DOCTYPE html>")).toBe(true);
    expect(xss("<svgfoo>")).toBe(true);
    expect(xss("<a style=x>")).toBe(true);
    expect(xss("<!--[if IE]>")).toBe(true);
  });

  it("leaves benign markup and text alone", () => {
    expect(xss("")).toBe(false);
    expect(xss("<b>bold</b>")).toBe(false);
    expect(xss("<% x %>")).toBe(false);
    expect(xss("x < y and y > z")).toBe(false);
  });
});

describe("hostile input", () => {
  it("never traps on any byte, or any byte then a significant one; state does not leak", () => {
    const b = new Uint8Array(2);
    const probe = utf8("1' OR '1'='1");
    const second = utf8("'\"`\\/*-#<>=&$@ (){}[];!%qNEX0.\u00a0");
    for (let i = 0; i < 256; i++) {
      for (let j = 0; j < second.length; j++) {
        b[0] = <u8>i;
        b[1] = second[j];
        const first = detectSQLi(b);
        detectSQLi(b.subarray(0, 1));
        detectXSS(b);
        const again = detectSQLi(b);
        expect(orDash(again)).toBe(orDash(first));
      }
    }
    expect(detectSQLi(probe)).toBe("s&sos");
  });

  it("never traps on random bytes of many lengths; verdicts repeat", () => {
    const spice: u8[] = [0x27, 0x22, 0x60, 0x5c, 0x2f, 0x2a, 0x2d, 0x23, 0x3c, 0x3e, 0x3d, 0x26, 0x24, 0x40, 0x00,
      0x20, 0x28, 0x29, 0x7b, 0x7d, 0x5b, 0x5d, 0x3b, 0x21, 0x25, 0x71, 0x4e, 0x45, 0x58, 0xc5, 0xbf, 0xa0];
    const other = utf8("<img src=x onerror=alert(1)> ' or 1=1 --");
    for (let n = 0; n < 1000; n++) {
      const len = <i32>(rnd() % 64);
      const b = new Uint8Array(len);
      for (let i = 0; i < len; i++) b[i] = (rnd() & 3) != 0 ? spice[rnd() % <u32>spice.length] : <u8>rnd();
      const s1 = detectSQLi(b);
      const x1 = detectXSS(b);
      detectSQLi(other);
      detectXSS(other);
      const s2 = detectSQLi(b);
      expect(orDash(s2)).toBe(orDash(s1));
      expect(detectXSS(b)).toBe(x1);
    }
  });

  it("handles long repetitive input", () => {
    const units: string[] = ["'", "\\'", "a\\'", "/*", "<!--", "&#", "$a$", "<a "];
    for (let u = 0; u < units.length; u++) {
      const unit = utf8(units[u]);
      const b = new Uint8Array(unit.length * 1000);
      for (let i = 0; i < b.length; i++) b[i] = unit[i % unit.length];
      detectSQLi(b);
      detectXSS(b);
    }
    expect(sqli("'".repeat(1000))).toBe("-");
    expect(xss("<a ".repeat(1000))).toBe(false);
  });
});
