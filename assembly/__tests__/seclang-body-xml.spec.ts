// XML bodies: XML:/* texts and XML://@* attribute values; no entity expansion beyond the predefined ones.
import { utf8, latin1 } from "../seclang/types";
import { parseXml, XmlResult } from "../seclang/body";

let lastError = "";
let lastAttrs = "";
function texts(s: string, maxDepth: i32 = 256): string {
  const out = new XmlResult();
  out.maxDepth = maxDepth;
  lastError = parseXml(utf8(s), out);
  const t = new Array<string>();
  for (let i = 0; i < out.texts.length; i++) t.push(latin1(out.texts[i]));
  const a = new Array<string>();
  for (let i = 0; i < out.attrs.length; i++) a.push(latin1(out.attrs[i]));
  lastAttrs = a.join("|");
  return t.join("|");
}

describe("parseXml", () => {
  it("collects trimmed text runs and attribute values", () => {
    expect(texts('<?xml version="1.0"?><a x="1"> hi <b y=\'2\'>t</b> tail </a>')).toBe("hi|t|tail");
    expect(lastAttrs).toBe("1|2");
    expect(lastError).toBe("");
  });
  it("decodes predefined entities and character references", () => {
    expect(texts('<a k="&lt;&#x41;&quot;">&amp;&#66;&gt;&apos;</a>')).toBe("&B>'");
    expect(lastAttrs).toBe("<A\"");
  });
  it("keeps CDATA as its own run, raw", () => {
    expect(texts("<a>x<![CDATA[ <b>&amp; ]]>y</a>")).toBe("x|<b>&amp;|y");
  });
  it("splits text at comments and processing instructions", () => {
    expect(texts("<a>one<!-- c -->two<?pi x?>three</a>")).toBe("one|two|three");
  });
  it("normalises line ends", () => {
    expect(texts("<a>x\r\ny\rz</a>")).toBe("x\ny\nz");
  });
  it("never expands declared entities: XXE and entity bombs stay inert text", () => {
    const doc =
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">' +
      '<!ENTITY a "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!-- ]> --><!ELEMENT r ANY>]><r>&xxe;&a;</r>';
    expect(texts(doc)).toBe("&xxe;&a;");
    expect(lastError).toBe("");
  });
  it("keeps unknown or malformed references as written", () => {
    expect(texts("<a>&nbsp; & &#xZZ; &#0;</a>")).toBe("&nbsp; & &#xZZ; &#0;");
  });
  it("trims Unicode white space as Go's strings.TrimSpace does", () => {
    expect(texts("<a>\u00a0x\u3000\u2029</a>")).toBe("x");
  });
  it("reports a mismatched end tag and keeps reading", () => {
    expect(texts("<a><b>1</a>")).toBe("1");
    expect(lastError).toBe("XML: element <b> closed by </a> at byte 7");
    expect(texts("<a><b>1</c>2</b></a>")).toBe("1|2");
    expect(lastError).toBe("XML: end tag </c> without a start tag at byte 7");
  });
  it("reports unclosed elements, text after the root, and a missing root", () => {
    texts("<a><b>x</b>");
    expect(lastError).toBe("XML: element <a> is not closed at byte 11");
    expect(texts("<a/>tail")).toBe("tail");
    expect(lastError).toBe("XML: text outside the root element at byte 4");
    texts("   ");
    expect(lastError).toBe("XML: no root element at byte 3");
    texts("");
    expect(lastError).toBe(""); // an empty body is no document, as in Coraza
  });
  it("stops at malformed markup with the reason and position", () => {
    texts("<a b=1></a>");
    expect(lastError).toBe("XML: expected a quoted attribute value at byte 5");
    texts("< a></a>");
    expect(lastError).toBe("XML: expected an element name after '<' at byte 1");
    texts("<a><!-- x</a>");
    expect(lastError).toBe("XML: unterminated comment at byte 3");
    texts('<a k="v');
    expect(lastError).toBe("XML: unterminated attribute value at byte 5");
  });
  it("refuses nesting deeper than the limit", () => {
    let s = "";
    for (let i = 0; i < 10; i++) s += "<a>";
    texts(s, 5);
    expect(lastError).toBe("XML: elements nested deeper than 5 at byte 15");
  });
  it("stops at the item limit", () => {
    const out = new XmlResult();
    out.maxItems = 2;
    const err = parseXml(utf8('<a x="1" y="2" z="3">t</a>'), out);
    expect(out.attrs.length).toBe(2);
    expect(err.startsWith("XML: more than 2 texts and attributes")).toBe(true);
  });
  it("survives a million opening tags", () => {
    const out = new XmlResult();
    const body = new Uint8Array(300000);
    for (let i = 0; i < body.length; i += 3) {
      body[i] = 0x3c;
      body[i + 1] = 0x61;
      body[i + 2] = 0x3e;
    }
    expect(parseXml(body, out).startsWith("XML: elements nested deeper than 256")).toBe(true);
  });
});
