// multipart/form-data: collections as Coraza fills them, MULTIPART_* flags and errors as ModSecurity.
import { PairList, utf8, latin1 } from "../seclang/types";
import { parseMultipart, MultipartResult } from "../seclang/body";

const CT = "multipart/form-data; boundary=xx";

function dump(l: PairList): string {
  const parts = new Array<string>();
  for (let i = 0; i < l.length; i++) parts.push(latin1(l.at(i).name) + "=" + latin1(l.at(i).value));
  return parts.join("|");
}

let lastError = "";
function parse(body: string, ct: string = CT): MultipartResult {
  const out = new MultipartResult();
  lastError = parseMultipart(utf8(body), ct, out);
  return out;
}

const FORM =
  "--xx\r\n" +
  'Content-Disposition: form-data; name="a"\r\n' +
  "\r\n" +
  "one\r\ntwo\r\n" +
  "--xx\r\n" +
  'Content-Disposition: form-data; name="up"; filename="x.php"\r\n' +
  "Content-Type: application/octet-stream\r\n" +
  "\r\n" +
  "<?php\r\n" +
  "--xx--\r\n";

describe("parseMultipart: collections", () => {
  it("splits fields and files", () => {
    const r = parse(FORM);
    expect(lastError).toBe("");
    expect(dump(r.args)).toBe("a=one\r\ntwo");
    expect(dump(r.files)).toBe("up=x.php");
    expect(dump(r.filesNames)).toBe("up=up");
    expect(dump(r.filesSizes)).toBe("up=5");
    expect(r.filesCombinedSize).toBe(5);
    expect(dump(r.names)).toBe("a=a|up=up");
    expect(dump(r.filenames)).toBe("up=x.php");
    expect(dump(r.partHeaders)).toBe(
      'a=Content-Disposition: form-data; name="a"|' +
        'up=Content-Disposition: form-data; name="up"; filename="x.php"|' +
        "up=Content-Type: application/octet-stream",
    );
    expect(r.strictError).toBe(0);
  });
  it("keeps binary content and empty parts", () => {
    const r = parse('--xx\r\nContent-Disposition: form-data; name="e"\r\n\r\n\r\n--xx\r\nContent-Disposition: form-data; name="b"\r\n\r\n\x00\xff\r\n--xx--');
    expect(lastError).toBe("");
    expect(r.args.at(0).value.length).toBe(0);
    expect(r.args.at(1).value.length).toBe(3); // NUL, then U+00FF as two UTF-8 bytes
  });
  it("prefers filename* and keeps the plain filename as a second reading", () => {
    const r = parse("--xx\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"; filename*=UTF-8''b%2Ephp\r\n\r\nz\r\n--xx--\r\n");
    expect(lastError).toBe("");
    expect(dump(r.files)).toBe("f=b.php|f=a.txt");
    expect(dump(r.filenames)).toBe("f=b.php|f=a.txt");
    expect(dump(r.filesSizes)).toBe("f=1|f=1");
    expect(r.filesCombinedSize).toBe(1);
  });
  it("treats an empty filename as a field", () => {
    const r = parse('--xx\r\nContent-Disposition: form-data; name="f"; filename=""\r\n\r\nv\r\n--xx--\r\n');
    expect(dump(r.args)).toBe("f=v");
    expect(r.files.length).toBe(0);
  });
  it("keys part headers by the part's name (CRS 922100 counts MULTIPART_PART_HEADERS:_charset_)", () => {
    const r = parse('--xx\r\nContent-Disposition: form-data; name="_charset_"\r\n\r\nutf-7\r\n--xx--\r\n');
    expect(r.partHeaders.at(0).name.length).toBe(9);
    expect(latin1(r.partHeaders.at(0).name)).toBe("_charset_");
  });
  it("accepts an unquoted name and other parameters", () => {
    const r = parse("--xx\r\nContent-Disposition: form-data; name=a; size=3\r\n\r\nv\r\n--xx--\r\n");
    expect(lastError).toBe("");
    expect(dump(r.args)).toBe("a=v");
  });
  it("caps ARGS_POST at argLimit", () => {
    const out = new MultipartResult();
    out.argLimit = 1;
    parseMultipart(utf8('--xx\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xx\r\nContent-Disposition: form-data; name="b"\r\n\r\n2\r\n--xx--\r\n'), CT, out);
    expect(dump(out.args)).toBe("a=1");
    expect(out.argsTruncated).toBe(true);
  });
});

describe("parseMultipart: flags", () => {
  it("flags LF line ends (strict) and mixed line ends", () => {
    const lf = parse('--xx\nContent-Disposition: form-data; name="a"\n\nv\n--xx--\n');
    expect(lastError).toBe("");
    expect(dump(lf.args)).toBe("a=v");
    expect(lf.lfLine).toBe(1);
    expect(lf.crlfLfLines).toBe(0);
    expect(lf.strictError).toBe(1);
    const mixed = parse('--xx\r\nContent-Disposition: form-data; name="a"\n\r\nv\r\n--xx--\r\n');
    expect(mixed.crlfLfLines).toBe(1);
  });
  it("flags a quoted boundary, whitespace around '=', and a missing ';'", () => {
    const body = '--xx\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--xx--\r\n';
    const q = parse(body, 'multipart/form-data; boundary="xx"');
    expect(lastError).toBe("");
    expect(q.boundaryQuoted).toBe(1);
    expect(q.strictError).toBe(1);
    expect(parse(body, "multipart/form-data; boundary = xx").boundaryWhitespace).toBe(1);
    const semi = parse(body, "multipart/form-data boundary=xx");
    expect(semi.missingSemicolon).toBe(1);
    expect(dump(semi.args)).toBe("a=v");
    const webkit = parse(
      '------WebKitFormBoundaryAb\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n------WebKitFormBoundaryAb--\r\n',
      "multipart/form-data; boundary=----WebKitFormBoundaryAb; charset=utf-8",
    );
    expect(lastError).toBe("");
    expect(dump(webkit.args)).toBe("a=v");
    const clean = parse(body, "multipart/form-data; charset=utf-8; boundary=xx; x=y");
    expect(clean.strictError).toBe(0);
    expect(dump(clean.args)).toBe("a=v");
  });
  it("flags data before the first and after the last boundary", () => {
    const r = parse('junk\r\n--xx\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--xx--\r\nmore');
    expect(r.dataBefore).toBe(1);
    expect(r.dataAfter).toBe(1);
    expect(dump(r.args)).toBe("a=v");
  });
  it("flags header folding, and folding with other white space", () => {
    const r = parse('--xx\r\nContent-Disposition: form-data;\r\n name="a"\r\n\r\nv\r\n--xx--\r\n');
    expect(lastError).toBe("");
    expect(r.headerFolding).toBe(1);
    expect(r.invalidHeaderFolding).toBe(0);
    expect(dump(r.args)).toBe("a=v");
    expect(dump(r.partHeaders)).toBe('a=Content-Disposition: form-data; name="a"');
    const bad = parse('--xx\r\nContent-Disposition: form-data;\r\n\x0bname="a"\r\n\r\nv\r\n--xx--\r\n');
    expect(bad.invalidHeaderFolding).toBe(1);
  });
  it("flags single quotes in names as invalid quoting", () => {
    expect(parse("--xx\r\nContent-Disposition: form-data; name='a'\r\n\r\nv\r\n--xx--\r\n").invalidQuoting).toBe(1);
    expect(parse('--xx\r\nContent-Disposition: form-data; name="a\'b"\r\n\r\nv\r\n--xx--\r\n').invalidQuoting).toBe(1);
  });
  it("flags a repeated part header", () => {
    const r = parse('--xx\r\nContent-Disposition: form-data; name="a"\r\ncontent-disposition: form-data; name="b"\r\n\r\nv\r\n--xx--\r\n');
    expect(r.duplicatePartHeader).toBe(1);
    expect(lastError).toBe("Multipart: Duplicate part header.");
    expect(dump(r.args)).toBe("a=v"); // the first one counts
  });
  it("flags a line that looks like the boundary but is not one", () => {
    const r = parse('--xx\r\nContent-Disposition: form-data; name="a"\r\n\r\n--xxY\r\nx--xx\r\n--xx--\r\n');
    expect(lastError).toBe("");
    expect(r.unmatchedBoundary).toBe(1);
    expect(dump(r.args)).toBe("a=--xxY\r\nx--xx");
    expect(parse(FORM).unmatchedBoundary).toBe(0);
  });
  it("flags more files than fileLimit, still listing them", () => {
    const out = new MultipartResult();
    out.fileLimit = 1;
    const f = 'Content-Disposition: form-data; name="f"; filename="a"\r\n\r\nx\r\n';
    parseMultipart(utf8("--xx\r\n" + f + "--xx\r\n" + f + "--xx--\r\n"), CT, out);
    expect(out.fileLimitExceeded).toBe(1);
    expect(out.files.length).toBe(2);
    expect(out.strictError).toBe(1);
  });
});

describe("parseMultipart: errors", () => {
  it("reports a missing final boundary and keeps the partial part", () => {
    const r = parse('--xx\r\nContent-Disposition: form-data; name="a"\r\n\r\npartial');
    expect(lastError).toBe("Multipart: Final boundary missing.");
    expect(dump(r.args)).toBe("a=partial");
    expect(r.strictError).toBe(1);
  });
  it("reports a body without any boundary", () => {
    parse("just text");
    expect(lastError).toBe("Multipart: No boundaries found in payload.");
    parse("");
    expect(lastError).toBe("");
  });
  it("reports invalid characters in a header name but keeps the line for CRS 922130", () => {
    const r = parse('--xx\r\n\x0eContent-Disposition: form-data; name="f"\r\nContent-Disposition: form-data; name="post"\r\n\r\nv\r\n--xx--\r\n');
    expect(lastError).toBe("Multipart: Invalid part header (contains invalid character).");
    expect(latin1(r.partHeaders.at(0).value).charCodeAt(0)).toBe(0x0e);
    expect(dump(r.args)).toBe("post=v");
  });
  it("reports parts without Content-Disposition or name, still inspecting their content", () => {
    const r = parse("--xx\r\nContent-Type: text/plain\r\n\r\n' or 1=1--\r\n--xx--\r\n");
    expect(lastError).toBe("Multipart: Part missing Content-Disposition header.");
    expect(r.invalidPart).toBe(1);
    expect(dump(r.args)).toBe("=' or 1=1--");
    parse('--xx\r\nContent-Disposition: form-data; filename="a"\r\n\r\nv\r\n--xx--\r\n');
    expect(lastError).toBe("Multipart: Content-Disposition header missing name field.");
    parse('--xx\r\nContent-Disposition: attachment; name="a"\r\n\r\nv\r\n--xx--\r\n');
    expect(lastError).toBe("Multipart: Invalid Content-Disposition header (not form-data).");
  });
  it("reports header lines without a colon, folding without a header, and NUL", () => {
    parse("--xx\r\nnot a header\r\n\r\nv\r\n--xx--\r\n");
    expect(lastError).toBe("Multipart: Invalid part header (colon missing).");
    parse('--xx\r\n folded\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--xx--\r\n');
    expect(lastError).toBe("Multipart: Invalid part header (folding error).");
    parse('--xx\r\nContent-Disposition: form-data; name="a\x00"\r\n\r\nv\r\n--xx--\r\n');
    expect(lastError).toBe("Multipart: Nul byte in part headers.");
  });
  it("refuses unusable Content-Type headers", () => {
    const body = "--xx--\r\n";
    parse(body, "text/plain; boundary=xx");
    expect(lastError).toBe("Multipart: Invalid MIME type.");
    parse(body, "multipart/form-data");
    expect(lastError).toBe("Multipart: Boundary not found in C-T.");
    parse(body, "multipart/form-data; boundary=a; Boundary =b");
    expect(lastError).toBe("Multipart: Multiple boundary parameters in C-T.");
    parse(body, "multipart/form-data; boundary=a<b");
    expect(lastError).toBe("Multipart: Invalid boundary in C-T (characters).");
    parse(body, 'multipart/form-data; boundary="xx');
    expect(lastError).toBe("Multipart: Invalid boundary in C-T (quote).");
    parse(body, "multipart/form-data; boundary=");
    expect(lastError).toBe("Multipart: Invalid boundary in C-T (empty).");
    const r = parse(body, "multipart/form-data; boundaryx=1");
    expect(lastError).toBe("Multipart: Invalid boundary in C-T (parameter name).");
    expect(r.strictError).toBe(1);
  });
});
