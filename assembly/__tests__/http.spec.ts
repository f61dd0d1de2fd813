import {
  checkHeaderName, canonicalHeaderName, checkHeaderValue, isEnvoySafeHeaderValue, badHeaderNameAt,
  parseMediaType, splitHeaderList, acceptsHtml, extractBearer, extractJwtLikeEnvoy, SetCookie, SameSite,
  lowerAscii,
} from "../http";

describe("header names", () => {
  it("accepts lower-case tokens", () => {
    expect(checkHeaderName("x-request-id")).toBe("");
    expect(checkHeaderName("x_a.b~!#$%&'*+^`|")).toBe("");
    expect(checkHeaderName(":path", true)).toBe("");
  });
  it("rejects the rest with a reason", () => {
    expect(checkHeaderName("")).toBe("header name is empty");
    expect(checkHeaderName("X-Foo")).toBe('header name "X-Foo" must be lower-case');
    expect(checkHeaderName("x foo")).toBe('header name "x foo" has an invalid character at 1');
    expect(checkHeaderName("x:y")).toBe('header name "x:y" has an invalid character at 1');
    expect(checkHeaderName(":path")).toBe('pseudo-header ":path" is not allowed here');
    expect(checkHeaderName(":", true).length > 0).toBe(true);
    expect(checkHeaderName("é").length > 0).toBe(true);
    expect(checkHeaderName("a\u0000")).toBe('header name "a\u0000" has an invalid character at 1');
  });
  it("canonicalises", () => {
    expect(canonicalHeaderName("X-Forwarded-For").value).toBe("x-forwarded-for");
    expect(canonicalHeaderName("Bad Name").ok).toBe(false);
    expect(lowerAscii("AbC-é")).toBe("abc-é");
  });
  it("byte-level check points at the bad byte", () => {
    const b = Uint8Array.wrap(String.UTF8.encode("ok-name(x)"));
    expect(badHeaderNameAt(b.dataStart, b.length)).toBe(7);
  });
});

describe("header values", () => {
  it("Istio's control-character rule", () => {
    expect(checkHeaderValue("plain value\twith tab")).toBe("");
    expect(checkHeaderValue("a\u0000")).toBe("header value has control character 0x00 at byte 1");
    expect(checkHeaderValue("a\u0008").length > 0).toBe(true);
    expect(checkHeaderValue("a\nb")).toBe("header value has control character 0x0a at byte 1");
    expect(checkHeaderValue("a\u001fb").length > 0).toBe(true);
    expect(checkHeaderValue("a\u007fb")).toBe("header value has control character 0x7f at byte 1");
    expect(checkHeaderValue("é ok")).toBe("");
  });
  it("Envoy's wire rule is only NUL, CR, LF", () => {
    expect(isEnvoySafeHeaderValue("a\u0001b")).toBe(true);
    expect(isEnvoySafeHeaderValue("a\rb")).toBe(false);
    expect(isEnvoySafeHeaderValue("a\u0000")).toBe(false);
  });
});

describe("media types", () => {
  it("parses parameters and the multipart boundary", () => {
    const m = parseMediaType('Multipart/Form-Data; charset=UTF-8 ; boundary="----abc \\"x\\""');
    expect(m.ok).toBe(true);
    expect(m.essence).toBe("multipart/form-data");
    expect(m.param("charset")!).toBe("UTF-8");
    expect(m.param("boundary")!).toBe('----abc "x"');
    expect(m.boundary()).toBeNull(); // '"' is not a boundary character
    const ok = parseMediaType("multipart/mixed; boundary=gc0p4Jq0M2Yt08jU534c0p");
    expect(ok.boundary()!).toBe("gc0p4Jq0M2Yt08jU534c0p");
    expect(parseMediaType("text/plain;;").ok).toBe(true);
    expect(parseMediaType("multipart/form-data; boundary=" + "a".repeat(71)).boundary()).toBeNull();
  });
  it("rejects malformed values", () => {
    expect(parseMediaType("text").error).toBe("expected '/' at 4");
    expect(parseMediaType("text/").error).toBe("expected a subtype at 5");
    expect(parseMediaType("/html").ok).toBe(false);
    expect(parseMediaType("text/html; charset").error).toBe("expected '=' after parameter name at 18");
    expect(parseMediaType('text/html; a="x').error).toBe("unterminated quoted string at 15");
    expect(parseMediaType("multipart/form-data; boundary=a; Boundary=b").error).toBe('duplicate parameter "boundary" at 33');
    expect(parseMediaType("text/html x").ok).toBe(false);
    expect(parseMediaType('text/html; a="\u0001"').ok).toBe(false);
    expect(parseMediaType("a/b;x=1;x=1").error).toBe('duplicate parameter "x" at 8');
    let many = "a/b";
    for (let i = 0; i < 40; i++) many += ";p" + i.toString() + "=1";
    expect(parseMediaType(many).error).toBe("too many parameters at 186");
    expect(parseMediaType(many, 64).ok).toBe(true);
  });
});

describe("lists, Accept", () => {
  it("splits on commas outside quotes", () => {
    const l = splitHeaderList(' a, b ,,"c,d" , "e\\",f"')!;
    expect(l.join("|")).toBe('a|b|"c,d"|"e\\",f"');
    expect(splitHeaderList("")!.length).toBe(0);
    expect(splitHeaderList("a,b,c", 2)).toBeNull();
  });
  it("text/html in Accept", () => {
    expect(acceptsHtml("text/html,application/xhtml+xml,*/*;q=0.8")).toBe(true);
    expect(acceptsHtml("application/json, TEXT/HTML;q=0.5")).toBe(true);
    expect(acceptsHtml("application/json")).toBe(false);
    expect(acceptsHtml("*/*")).toBe(false);
    expect(acceptsHtml("text/html;q=0")).toBe(false);
    expect(acceptsHtml("text/html; q=0.000")).toBe(false);
    expect(acceptsHtml("text/html;level=1;q=0.001")).toBe(true);
    expect(acceptsHtml("text/htmlx")).toBe(false);
  });
});

describe("bearer tokens", () => {
  it("RFC 6750 strict", () => {
    expect(extractBearer("Bearer abc.def-_~+/ghi==").value).toBe("abc.def-_~+/ghi==");
    expect(extractBearer("bearer   tok  ").value).toBe("tok");
    expect(extractBearer("Basic dXNlcg==").error).toBe("not a Bearer credential");
    expect(extractBearer("Bearer").error).toBe("not a Bearer credential");
    expect(extractBearer("Bearer ").error).toBe("empty Bearer token");
    expect(extractBearer("Bearertok").error).toBe("expected a space after Bearer");
    expect(extractBearer("Bearer a b").error).toBe("invalid character in Bearer token");
    expect(extractBearer("Bearer a=b").ok).toBe(false);
  });
  it("Envoy jwt_authn prefix semantics", () => {
    expect(extractJwtLikeEnvoy("Bearer aa.bb.cc")!).toBe("aa.bb.cc");
    expect(extractJwtLikeEnvoy("x Bearer aa.bb.cc,more")!).toBe("aa.bb.cc");
    expect(extractJwtLikeEnvoy("bearer aa.bb.cc")).toBeNull();
    expect(extractJwtLikeEnvoy("Bearer  ")!).toBe("Bearer  ");
  });
});

describe("Set-Cookie", () => {
  it("builds with attributes", () => {
    const c = new SetCookie("session", "abc123");
    c.path = "/";
    c.maxAge = 3600;
    c.secure = true;
    c.httpOnly = true;
    c.sameSite = SameSite.Lax;
    expect(c.build().value).toBe("session=abc123; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax");
    const d = new SetCookie("gone", "");
    d.maxAge = 0;
    d.expires = "Thu, 01 Jan 1970 00:00:00 GMT";
    expect(d.build().value).toBe("gone=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
  });
  it("refuses what browsers would drop", () => {
    expect(new SetCookie("a b", "x").build().ok).toBe(false);
    expect(new SetCookie("a", "x;y").build().error).toBe("cookie value has a character RFC 6265 forbids");
    expect(new SetCookie("a", "x y").build().ok).toBe(false);
    expect(new SetCookie("a", '"quoted"').build().ok).toBe(true);
    const n = new SetCookie("a", "b");
    n.sameSite = SameSite.None;
    expect(n.build().error).toBe("SameSite=None requires Secure");
    const h = new SetCookie("__Host-id", "1");
    h.secure = true;
    expect(h.build().error).toBe("__Host- cookies require Secure, Path=/ and no Domain");
    h.path = "/";
    expect(h.build().ok).toBe(true);
    const p = new SetCookie("a", "b");
    p.path = "/x;Domain=evil";
    expect(p.build().ok).toBe(false);
    const m = new SetCookie("a", "b");
    m.maxAge = -5;
    expect(m.build().ok).toBe(false);
  });
});
