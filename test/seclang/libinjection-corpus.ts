// Inputs for the libinjection differential test and benchmark: the CRS SQLi/XSS regression tests'
// payloads (as the rules see them after url-decoding), hand-written attacks and benign values, and
// seeded random token soups and mutations (reproducible: same seed, same inputs).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const CRS_TESTS = '/work/shared/data/crs/tests';
const enc = new TextEncoder();

export function bytes(s: string): Uint8Array {
  return enc.encode(s);
}

/** Percent-decoding to bytes, '+' as space (what t:urlDecodeUni / the ARGS parser leave). */
export function urlDecode(s: string): Uint8Array {
  const raw = enc.encode(s);
  const out: number[] = [];
  const hex = (c: number): number =>
    c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === 0x25 && i + 2 < raw.length && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
      out.push(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
      i += 2;
    } else out.push(c === 0x2b ? 0x20 : c);
  }
  return Uint8Array.from(out);
}

/** Names and values of an a=b&c=d string, decoded, plus the whole string decoded. */
function argsOf(s: string): Uint8Array[] {
  const out = [urlDecode(s)];
  for (const part of s.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) out.push(urlDecode(part));
    else out.push(urlDecode(part.slice(0, eq)), urlDecode(part.slice(eq + 1)));
  }
  return out;
}

interface FtwInput {
  uri?: unknown;
  data?: unknown;
  headers?: Record<string, unknown>;
}

/** Every data/uri (and header value) of the CRS 941 (XSS) and 942 (SQLi) tests, url-decoded into arguments. */
export function crsInputs(dir = CRS_TESTS): Uint8Array[] {
  const out: Uint8Array[] = [];
  const folders = readdirSync(dir).filter((f) => f.startsWith('REQUEST-941-') || f.startsWith('REQUEST-942-'));
  for (const folder of folders.sort()) {
    for (const file of readdirSync(join(dir, folder)).sort()) {
      if (!/\.ya?ml$/.test(file)) continue;
      const doc = parse(readFileSync(join(dir, folder, file), 'utf8')) as { tests?: { stages?: { input?: FtwInput }[] }[] };
      for (const test of doc?.tests ?? []) {
        for (const stage of test.stages ?? []) {
          const input = stage.input ?? {};
          if (typeof input.uri === 'string') {
            const q = input.uri.indexOf('?');
            out.push(urlDecode(input.uri));
            if (q >= 0) out.push(...argsOf(input.uri.slice(q + 1)));
          }
          const data = Array.isArray(input.data) ? input.data.join('\n') : input.data;
          if (typeof data === 'string') out.push(...argsOf(data));
          for (const v of Object.values(input.headers ?? {})) if (typeof v === 'string') out.push(urlDecode(v));
        }
      }
    }
  }
  return out;
}

export const SQLI_PAYLOADS = [
  "1' OR '1'='1", "1 OR 1=1", "' or 1=1--", '" or ""="', "admin'--", "admin' #", "1; DROP TABLE users",
  "1 UNION SELECT username, password FROM users", "-1' and 1=1 union/* foo */select load_file('/etc/passwd')--",
  "1' AND SLEEP(5)#", "1) or pg_sleep(5)--", "'; WAITFOR DELAY '0:0:5'--", "1 AND 1=CONVERT(int,@@version)",
  "1/*!50000UNION*/SELECT 1", "x' AND extractvalue(1,concat(0x7e,version()))--", "1e1union select 1",
  "1.e(1)", "1' or 1.e(1) or '1'='1", "@@version", "@`version`", "SELECT * FROM t WHERE a = $$x$$",
  "$tag$ select $tag$", "q'[abc]' || 1", "nq'<x>' or 1=1", "N'abc' union select 1", "E'\\x41' or 1",
  "U&'\\0041' or 1=1", "X'4142' or 1", "B'0101' or 1", "[col] or 1=1", "`select` from t", "1::int or 1",
  "\\N or 1", "\\%1", "1 -- comment", "1#comment", "1 /* c */ or 1", "/*! or */ 1", "1 or 2 like 2",
  "1 not in (1,2)", "sp_password' or 1 --", "{ ``.``.id }", "{fn concat('a','b')}", "1 collate utf8_bin",
  "if 1=1 select 1", ";if(1=1) waitfor delay '0:0:5'", "1 or user()", "user(foo)", "1' || '1", "1'+'1",
  "0x41 or 1", "0b01 or 1", "1 or 1 into outfile '/tmp/x'", "1 into dumpfile 'x'", "1 union all select 1,2,3",
  "' union select null,null--", "1 order by 1--", "1 group by 1 having 1=1", "1' and (select 1)='1",
  "admin' or 1=1 limit 1 -- -", "1 or true", "1 or null is null", "'-'", "' '", "'&'", "'^'", "'*'",
  "1' or 'x'='x", "1 and 1<2", "sexy and 17", "sexy and 17<18", "1 union", "1 union select",
  "1234 --", "1234-ABCDEFEhfhihwuefi--", "foo--", "foo /* bar */", "1/*", "1-- ", "ſelect 1 from t",
  "ıf(1,1,1)", "SELECT\u00a0*\u00a0FROM t", "1\u0000or 1=1", "1 or 1=1\u0000--", "'\\'' or 1",
  "'a\\'b' or 1", "\"a\\\"b\" or 1", "'a''b' or 1=1", "1' /*!or*/ 1", "1' -- -", "1'/**/or/**/1=1",
  "1' or 1=1 #", "1' or 1=1 %23", "char(65)+char(66)", "concat('a','b')", "benchmark(1000000,md5(1))",
  "a;b;{``", "a;b;c;{``", "{``", "1 {``", "{foo 1} or 1", "$$a$$ or 1", "$a$ x $a$ or 1", "1.5f union", "1fUNION select",
];

export const XSS_PAYLOADS = [
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<svg onload=alert(1)>', '<a href="javascript:alert(1)">x</a>',
  '<a href=" &#x6a;avascript:alert(1)">', '<a href="&#106;&#97;&#118;&#97;script:alert(1)">', '<iframe src=//x>',
  '<body onload=alert(1)>', '<div style="x:expression(alert(1))">', '<!--[if IE]><script>alert(1)</script><![endif]-->',
  '<?import namespace="x">', '<!ENTITY x "y">', '<!DOCTYPE html>', '<![CDATA[<script>]]>', '<% alert(1) %>',
  '<x onclick=alert(1)>', '<x/onclick=alert(1)>', '" onmouseover="alert(1)', "' onfocus='alert(1)", 'onerror=alert(1)',
  '` onerror=alert(1)', 'x" style="color:red', '<a href=data:text/html;base64,PHNjcmlwdD4=>', '<form action=javascript:x>',
  '<a href="vbscript:msgbox(1)">', '<a href="view-source:x">', '<svg><animate attributeName=href values=javascript:alert(1)>',
  '<xml>', '<xss>', '<base href=//x>', '<link rel=import href=x>', '<meta http-equiv=refresh>', '<object data=x>',
  '<embed src=x>', '<applet>', '<frameset>', '<style>', '<noscript>', '<xsl:stylesheet>', '<isindex action=x>',
  '<a xmlns:xlink="x">', '<a xlink:href="javascript:x">', '<</script>', '</script>', '<scr\u0000ipt>', '<a `x>',
  '<!-- ` -->', '<!--- x --!>', '<a href="java\u0000script:x">', '<a href="\u0001javascript:x">', '<a href="&#0000106avascript:x">',
  '<img src="x` `<script>alert(1)</script>"` `>', '<div onwebkitanimationend=x>', 'a<b', 'x < y and y > z',
];

export const BENIGN = [
  '', ' ', 'hello', 'hello world', 'john.doe@example.com', '2024-01-01', '12:30', '3.14159', '-42', '+1 555 0100',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'en-US,en;q=0.5', 'gzip, deflate, br',
  'session=abc123; theme=dark', '/api/v1/users/42', 'https://example.com/path?x=1', 'O\'Reilly', 'Rock & Roll',
  "it's a \"test\"", 'SELECT your plan', 'union station', 'drop me a line', 'a=b', '1+1=2', '50% off', '#hashtag',
  '@mention', '$100.00', 'C:\\Windows\\System32', 'SGVsbG8gV29ybGQ=', 'eyJhbGciOiJIUzI1NiJ9.e30.abc', '{"a":[1,2]}',
  '<b>bold</b>', '<p class="x">para</p>', '<br/>', 'x > y', 'café', '日本語', 'naïve résumé', 'ﬁle', '\u00ff\u00fe',
];

/** mulberry32: a small seeded PRNG, so the random corpus is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  "'", '"', '`', ' ', '  ', '\t', '\n', '\r', '\u0000', '\u000b', '\u00a0', '(', ')', ',', ';', '{', '}', '[', ']', '.',
  '=', '<', '>', '<=>', '!=', '!', '||', '&&', '&', '|', '^', '~', '+', '-', '*', '/', '%', ':', '::', '?', '@', '@@',
  '#', '--', '-- ', '/*', '*/', '/*!', '$', '$$', '$a$', '\\', '\\N', '0x', '0x1F', '0b1', '1', '42', '1.5', '.5',
  '1e5', '1.e', '1f', 'x', 'a', 'foo', 'or', 'OR', 'and', 'AND', 'not', 'select', 'SELECT', 'union', 'UNION', 'all',
  'from', 'where', 'like', 'in', 'into', 'outfile', 'user', 'database', 'sleep', 'benchmark', 'version', 'if', 'IF',
  'null', 'true', 'char', 'concat', 'collate', 'utf8_bin', 'int', 'varchar', 'drop', 'table', 'exec', 'xp_cmdshell',
  'sp_password', 'waitfor', 'delay', 'group by', 'order by', 'having', 'limit', 'q\'[', "n'", "e'", "x'", "b'", "u&'",
  'ı', 'ſ', '\u00e9', '\u00ff', '<script>', '</script>', '<img', ' src=', ' onerror=', 'onload', '=', 'javascript:',
  '&#x6a;', '&#106;', '&#', 'data:', 'vbscript:', '<!--', '-->', '--!>', '<!', '<?', '<%', '%>', '<![CDATA[', ']]>',
  '<svg', '<iframe', ' style=', ' href=', ' xmlns', 'attributeName', '<a', '/>', '>', '"x"', "'y'", '`z`', 'DOCTYPE',
  '[if', 'import', 'entity', 'xml',
];

/** Random concatenations of SQL/HTML fragments. */
export function tokenSoup(seed: number, count: number): Uint8Array[] {
  const rnd = prng(seed);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(rnd() * 12);
    let s = '';
    for (let k = 0; k < n; k++) s += FRAGMENTS[Math.floor(rnd() * FRAGMENTS.length)];
    out.push(bytes(s));
  }
  return out;
}

/** Random edits (insert, delete, replace, duplicate, truncate) of the given inputs. */
export function mutations(seed: number, base: Uint8Array[], count: number): Uint8Array[] {
  const rnd = prng(seed);
  const pick = (): number => Math.floor(rnd() * 256);
  const special = bytes("'\"`()<>=;-/*#@$\\ \t\n\u0000");
  const out: Uint8Array[] = [];
  for (let i = 0; i < count && base.length > 0; i++) {
    const b = Array.from(base[Math.floor(rnd() * base.length)]);
    const edits = 1 + Math.floor(rnd() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rnd() * (b.length + 1));
      const byte = rnd() < 0.6 ? special[Math.floor(rnd() * special.length)] : pick();
      const op = Math.floor(rnd() * 5);
      if (op === 0) b.splice(at, 0, byte);
      else if (op === 1) b.splice(at, 1);
      else if (op === 2 && at < b.length) b[at] = byte;
      else if (op === 3) b.splice(at, 0, ...b.slice(at, at + 1 + Math.floor(rnd() * 8)));
      else b.length = Math.min(b.length, at);
    }
    out.push(Uint8Array.from(b));
  }
  return out;
}

/** Random bytes, mostly from the characters that matter to the tokenizers. */
export function randomBytes(seed: number, count: number, maxLen: number): Uint8Array[] {
  const rnd = prng(seed);
  const alphabet = bytes("'\"`()<>=;-/*#@$\\[]{}.,:!&|^~%+?_ \t\n\r\u000b\u000c0123456789aeEfnNoqQrsStuUxXbB<>&#;");
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const n = Math.floor(rnd() * maxLen);
    const b = new Uint8Array(n);
    for (let k = 0; k < n; k++) b[k] = rnd() < 0.85 ? alphabet[Math.floor(rnd() * alphabet.length)] : Math.floor(rnd() * 256);
    out.push(b);
  }
  return out;
}

/** Strings of quotes, backslashes and a few SQL bytes: stresses string and escape parsing. */
export function quoteSoup(seed: number, count: number, maxLen = 24, chars = "'''\"\"`\\\\\\a1 o=r-#/*$q["): Uint8Array[] {
  const rnd = prng(seed);
  const alphabet = bytes(chars);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const b = new Uint8Array(1 + Math.floor(rnd() * maxLen));
    for (let k = 0; k < b.length; k++) b[k] = alphabet[Math.floor(rnd() * alphabet.length)];
    out.push(b);
  }
  return out;
}

const ESCAPE_SEGMENTS = ["'", "\\'", 'a', '\\', '\\\\', "' or 1=1 -- ", ' or ', '1', "''", "a'", "'a\\'", ' union select ', '"'];

/**
 * Long concatenations of quotes, escaped quotes and SQL: a closing quote's remainder often recurs far
 * back, which is where libinjection-go's escape test differs from a plain backslash count.
 */
export function escapeSoup(seed: number, count: number): Uint8Array[] {
  const rnd = prng(seed);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    let s = '';
    const n = 1 + Math.floor(rnd() * 60);
    for (let k = 0; k < n; k++) s += ESCAPE_SEGMENTS[Math.floor(rnd() * ESCAPE_SEGMENTS.length)];
    out.push(bytes(s));
  }
  return out;
}

/** The hand-written inputs, as bytes. */
export function handWritten(): Uint8Array[] {
  return [...SQLI_PAYLOADS, ...XSS_PAYLOADS, ...BENIGN].map(bytes);
}
