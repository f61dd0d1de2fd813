import {
  percentDecode, percentEncode, PercentOptions, parseQuery, parsePathQuery, QueryOptions,
  getCookie, parseCookies, normalizePath, PathOptions,
} from "../encoding";

function norm(p: string): string {
  const r = normalizePath(p);
  return r.ok ? r.value : "ERR:" + r.error;
}
function merged(p: string): string {
  const r = normalizePath(p, PathOptions.both());
  return r.ok ? r.value : "ERR:" + r.error;
}

describe("percent", () => {
  it("decodes", () => {
    expect(percentDecode("a%20b%2Fc%e2%82%ac").text()).toBe("a b/c€");
    expect(percentDecode("a+b").text()).toBe("a+b");
    expect(percentDecode("a+b", PercentOptions.form()).text()).toBe("a b");
  });
  it("strict vs lenient on bad escapes", () => {
    expect(percentDecode("100%").error).toBe("'%' not followed by two hex digits");
    expect(percentDecode("%4").at).toBe(0);
    expect(percentDecode("%zz!").ok).toBe(false);
    expect(percentDecode("100%", new PercentOptions().lenient()).text()).toBe("100%");
    expect(percentDecode("%%41", new PercentOptions().lenient()).text()).toBe("%A");
  });
  it("NUL rejection when asked", () => {
    const o = new PercentOptions();
    o.rejectNul = true;
    expect(percentDecode("a%00b", o).error).toBe("encoded NUL byte");
    expect(percentDecode("a%00b").value.length).toBe(3);
  });
  it("encodes", () => {
    expect(percentEncode("a b/é~")).toBe("a%20b%2F%C3%A9~");
    expect(percentEncode("/a b/", "/")).toBe("/a%20b/");
  });
});

describe("query", () => {
  it("parses pairs in order", () => {
    const q = parseQuery("?a=1&b=x+y%21&a=2&flag&&=v&c=");
    expect(q.ok).toBe(true);
    expect(q.params.length).toBe(6);
    expect(q.get("a")!).toBe("1");
    expect(q.getAll("a").join(",")).toBe("1,2");
    expect(q.get("b")!).toBe("x y!");
    expect(q.params[3].name).toBe("flag");
    expect(q.params[3].hasValue).toBe(false);
    expect(q.params[4].name).toBe("");
    expect(q.get("c")!).toBe("");
    expect(q.get("zz")).toBeNull();
  });
  it("path form strips the fragment", () => {
    const q = parsePathQuery("/p/q?x=1&y=a%3Db#frag");
    expect(q.get("y")!).toBe("a=b");
    expect(parsePathQuery("/nothing").params.length).toBe(0);
  });
  it("bad input is an error value", () => {
    expect(parseQuery("a=%zz").error).toBe("bad encoding in parameter value");
    expect(parseQuery("a=%ff").error).toBe("bad encoding in parameter value"); // not UTF-8
    const lenient = new QueryOptions();
    lenient.strict = false;
    expect(parseQuery("a=%zz", lenient).get("a")!).toBe("%zz");
    const few = new QueryOptions();
    few.maxParams = 3;
    expect(parseQuery("a&b&c&d", few).error).toBe("more than 3 parameters");
  });
});

describe("cookies (Envoy's parseCookieValue rules)", () => {
  it("finds values", () => {
    const h = 'a=1; session="abc=="; b=; noequals;  c = 3';
    expect(getCookie(h, "a")!).toBe("1");
    expect(getCookie(h, "session")!).toBe("abc==");
    expect(getCookie(h, "b")!).toBe("");
    expect(getCookie(h, "noequals")).toBeNull();
    expect(getCookie(h, "c ")!).toBe(" 3"); // Envoy does not trim around '='
    expect(getCookie("x=1; x=2", "x")!).toBe("1");
  });
  it("lists all with a limit", () => {
    const all = parseCookies("a=1;b=2;;c=\"\"");
    expect(all.cookies.length).toBe(3);
    expect(all.get("c")!).toBe("");
    expect(parseCookies("a=1;b=2;c=3", 2).ok).toBe(false);
  });
});

describe("path normalisation (Envoy normalize_path / merge_slashes)", () => {
  it("resolves dot segments", () => {
    expect(norm("/a/./b/../c")).toBe("/a/c");
    expect(norm("/a/b/..")).toBe("/a/");
    expect(norm("/../../x")).toBe("/x");
    expect(norm("/a/%2e%2E/b")).toBe("/b");
    expect(norm("/a/.hidden/..x")).toBe("/a/.hidden/..x");
    expect(norm("/a/b.")).toBe("/a/b.");
    expect(norm("")).toBe("/");
    expect(norm("a/b")).toBe("/a/b");
  });
  it("backslashes, escapes and the query", () => {
    expect(norm("/a\\b\\..\\c")).toBe("/a/c");
    expect(norm("/%41%7e%2d/%2F%3f%c3%a9")).toBe("/A~-/%2F%3f%c3%a9");
    expect(norm("/a b\"<>^`{|}#")).toBe("/a%20b%22%3C%3E%5E%60%7B%7C%7D%23");
    expect(norm("/é")).toBe("/%C3%A9");
    expect(norm("/a/../b?x=/../y")).toBe("/b?x=/../y");
    expect(norm("/100%")).toBe("/100%");
    expect(norm("/%%30%30")).toBe("/%2500");
  });
  it("NUL fails like Envoy's 400", () => {
    expect(norm("/a%00b")).toBe("ERR:path contains a NUL byte");
    expect(norm("/a\u0000b")).toBe("ERR:path contains a NUL byte");
  });
  it("merges slashes", () => {
    expect(merged("//a///b//?q=//x")).toBe("/a/b/?q=//x");
    expect(merged("/a//../b")).toBe("/a/b"); // normalize runs first: "a/" + "" climbs one
    expect(merged("/a/b")).toBe("/a/b");
    expect(merged("//")).toBe("//");
    const only = new PathOptions();
    only.normalize = false;
    only.mergeSlashes = true;
    expect(normalizePath("//a/./b", only).value).toBe("/a/./b");
  });
  it("matches what Envoy 1.40 did (normalize_path, merge_slashes) on these paths", () => {
    // Observed by sending each path to Envoy and echoing %REQ(:PATH)%.
    const ins = ["/%%300", "/a/..%2f..", "/x/%2E./y", "/x/.%2e/y", "/%5C..%5Cetc", "/a/%2e%2e%2fb", "/a/%2e",
      "/~user/%7Euser", "/a;b=c/../d", "/a/b/../../..", "/a%20b%25", "///x/../y"];
    const normOut = ["/%2500", "/a/..%2f..", "/y", "/y", "/%5C..%5Cetc", "/a/..%2fb", "/a/",
      "/~user/~user", "/d", "/", "/a%20b%25", "///y"];
    for (let i = 0; i < ins.length; i++) expect(norm(ins[i])).toBe(normOut[i]);
    const more = ["/a/b/.", "/a/./", "/%%30%30", "/a/./b/../c", "/a/b/..", "/../../x", "/a/%2e%2E/b", "/a/.hidden/..x",
      "/a/b.", "/a\\b\\..\\c", "/%41%7e%2d/%2F%3f%c3%a9", "/a\"<>^`{|}", "/100%", "/a//../b", "//"];
    const moreOut = ["/a/b/", "/a/", "/%2500", "/a/c", "/a/", "/x", "/b", "/a/.hidden/..x",
      "/a/b.", "/a/c", "/A~-/%2F%3f%c3%a9", "/a%22%3C%3E%5E%60%7B%7C%7D", "/100%", "/a/b", "//"];
    for (let i = 0; i < more.length; i++) expect(norm(more[i])).toBe(moreOut[i]);
    expect(norm("/a%00b")).toBe("ERR:path contains a NUL byte");
    expect(merged("///x/../y")).toBe("/y");
    expect(norm("//a///b//?q=//x")).toBe("//a///b//?q=//x");
  });
  it("hostile sizes stay linear", () => {
    const long = "/a/..".repeat(20000) + "/x";
    expect(norm(long)).toBe("/x");
    expect(merged("/".repeat(100000)).length).toBe(2);
  });
});
