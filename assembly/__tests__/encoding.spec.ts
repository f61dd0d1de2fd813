import {
  base64DecodeString, base64Encode, base64UrlEncode, base64UrlDecode, Base64Options, Padding,
  hexEncode, hexDecode, utf8InvalidAt, isValidUtf8, utf8Bytes, BytesResult,
} from "../encoding";

function text(r: BytesResult): string {
  return r.text();
}
function raw(...b: u8[]): Uint8Array {
  const a = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) a[i] = b[i];
  return a;
}

describe("base64", () => {
  it("RFC 4648 test vectors", () => {
    const plain = ["", "f", "fo", "foo", "foob", "fooba", "foobar"];
    const enc = ["", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"];
    for (let i = 0; i < plain.length; i++) {
      expect(base64Encode(utf8Bytes(plain[i]))).toBe(enc[i]);
      const d = base64DecodeString(enc[i]);
      expect(d.ok).toBe(true);
      expect(text(d)).toBe(plain[i]);
    }
  });
  it("base64url without padding, both alphabets", () => {
    const b = raw(0xfb, 0xff, 0xfe);
    expect(base64UrlEncode(b)).toBe("-__-");
    expect(base64Encode(b)).toBe("+//+");
    expect(base64UrlEncode(utf8Bytes("fo"))).toBe("Zm8");
    expect(text(base64UrlDecode("Zm8"))).toBe("fo");
    expect(base64UrlDecode("-__-").value[1]).toBe(0xff);
    expect(base64UrlDecode("+//+").error).toBe("invalid base64 character");
    expect(base64DecodeString("-__-").ok).toBe(false);
  });
  it("strict padding", () => {
    expect(base64DecodeString("Zm8").error).toBe("missing padding");
    expect(base64UrlDecode("Zm8=").error).toBe("padding not allowed");
    expect(base64DecodeString("Zm8==").error).toBe("wrong amount of padding");
    expect(base64DecodeString("Zm9v=").error).toBe("wrong amount of padding");
    expect(base64DecodeString("Zg=a").error).toBe("data after padding");
    expect(base64DecodeString("Z").error).toBe("truncated base64 (length mod 4 is 1)");
    const opt = Base64Options.urlSafe().withPadding(Padding.Optional);
    expect(text(base64DecodeString("Zm8=", opt))).toBe("fo");
    expect(text(base64DecodeString("Zm8", opt))).toBe("fo");
  });
  it("non-canonical trailing bits", () => {
    expect(base64DecodeString("Zh==").error).toBe("non-canonical base64 (unused bits set)");
    expect(base64DecodeString("Zm9=").error).toBe("non-canonical base64 (unused bits set)");
    expect(base64DecodeString("Zm9=").at).toBe(2);
  });
  it("whitespace only when asked", () => {
    expect(base64DecodeString("Zm9v\nYmFy").ok).toBe(false);
    expect(text(base64DecodeString(" Zm9v\r\nYmFy\t", Base64Options.standard().withWhitespace()))).toBe("foobar");
  });
  it("hostile input: NUL and high bytes", () => {
    expect(base64DecodeString("Zm\u0000v").at).toBe(2);
    expect(base64DecodeString("Zmé9").error).toBe("invalid base64 character");
  });
});

describe("hex", () => {
  it("round trip", () => {
    expect(hexEncode(raw(0, 0x0f, 0xab, 0xff))).toBe("000fabff");
    const d = hexDecode("000FabfF");
    expect(d.ok).toBe(true);
    expect(d.value.length).toBe(4);
    expect(d.value[2]).toBe(0xab);
  });
  it("errors", () => {
    expect(hexDecode("abc").error).toBe("odd number of hex digits");
    expect(hexDecode("zz").at).toBe(0);
    expect(hexDecode("0g").at).toBe(1);
  });
});

describe("utf8", () => {
  it("accepts valid text including 4-byte sequences", () => {
    expect(isValidUtf8(utf8Bytes("plain ascii text, long enough for the 8-byte path"))).toBe(true);
    expect(isValidUtf8(utf8Bytes("é€😀"))).toBe(true);
    expect(isValidUtf8(raw(0xf4, 0x8f, 0xbf, 0xbf))).toBe(true); // U+10FFFF
  });
  it("rejects overlongs, surrogates, out of range, truncation, stray continuation", () => {
    expect(utf8InvalidAt(raw(0x41, 0xc0, 0x80).dataStart, 3)).toBe(1);
    expect(isValidUtf8(raw(0xe0, 0x80, 0xaf))).toBe(false); // overlong '/'
    expect(isValidUtf8(raw(0xed, 0xa0, 0x80))).toBe(false); // U+D800
    expect(isValidUtf8(raw(0xf4, 0x90, 0x80, 0x80))).toBe(false); // > U+10FFFF
    expect(isValidUtf8(raw(0xf5, 0x80, 0x80, 0x80))).toBe(false);
    expect(isValidUtf8(raw(0xe2, 0x82))).toBe(false); // truncated
    expect(isValidUtf8(raw(0x80))).toBe(false);
    expect(isValidUtf8(raw(0xf0, 0x9f, 0x98, 0x41))).toBe(false);
    const a = utf8Bytes("abcdefghijklmnop");
    a[13] = 0xff;
    expect(utf8InvalidAt(a.dataStart, a.length)).toBe(13);
  });
});
