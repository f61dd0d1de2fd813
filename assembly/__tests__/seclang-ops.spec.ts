// Operators: vectors derived from the ModSecurity reference manual and Coraza's documentation, plus
// hostile inputs. Strings in these tests stand for bytes: each char code 0..255 is one byte (bin()).
import { compileOperator } from '../seclang/operators/index';
import { Bytes, Captures, DataFiles, Operator, latin1, utf8 } from '../seclang/types';

class Files extends DataFiles {
  names: string[] = [];
  texts: string[] = [];
  put(name: string, text: string): Files {
    this.names.push(name);
    this.texts.push(text);
    return this;
  }
  get(name: string): string | null {
    const i = this.names.indexOf(name);
    return i < 0 ? null : this.texts[i];
  }
}

function bin(s: string): Bytes {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = u8(s.charCodeAt(i));
  return out;
}

function op(name: string, param: string, files: DataFiles = new Files()): Operator {
  const r = compileOperator(name, param, files);
  if (r.op == null) throw new Error('@' + name + ' ' + param + ': ' + r.error);
  return r.op!;
}

function err(name: string, param: string, files: DataFiles = new Files()): string {
  const r = compileOperator(name, param, files);
  return r.op == null ? r.error : 'compiled';
}

function m(name: string, param: string, value: string): bool {
  return op(name, param).matches(bin(value), null, null);
}

/** TX.i after a capturing match, or "<no match>". */
function cap(name: string, param: string, value: string, i: i32 = 0): string {
  const c = new Captures();
  if (!op(name, param).matches(bin(value), null, c)) return '<no match>';
  const v = c.get(i);
  return v == null ? '<unset>' : latin1(v);
}

/** `actual` contains `part` (the failure message shows `actual`). */
function expectHas(actual: string, part: string): void {
  expect(actual.includes(part) ? part : actual).toBe(part);
}

describe('registry', () => {
  it('names are case-insensitive; unknown names and unsupported operators are errors with the reason', () => {
    expect(m('RX', 'a', 'xax')).toBe(true);
    expect(m('BeginsWith', 'GET', 'GET /')).toBe(true);
    expect(err('nosuchop', 'x')).toBe('unknown operator @nosuchop');
    expectHas(err('rsub', 's/a/b/'), 'not supported in Wasm');
    expectHas(err('inspectFile', '/bin/x'), 'not supported in Wasm');
    expectHas(err('geoLookup', ''), 'GeoIP');
    expectHas(err('rbl', 'x'), 'DNS');
    expectHas(err('fuzzyHash', 'x'), 'not supported');
    expectHas(err('gsbLookup', 'x'), 'not supported');
  });
});

describe('@rx', () => {
  it('matches with DOTALL, $ only at the very end, no multi-line', () => {
    expect(m('rx', 'a.b', 'a\nb')).toBe(true);
    expect(m('rx', 'abc$', 'abc\n')).toBe(false);
    expect(m('rx', '^b', 'a\nb')).toBe(false);
    expect(m('rx', '(?i)select', 'SeLeCt')).toBe(true);
  });
  it('is in bytes mode: the CRS matches UTF-8 sequences byte by byte, invalid UTF-8 still matches', () => {
    // 942 family: U+00B4 ACUTE ACCENT as the bytes C2 B4
    expect(m('rx', '\\x{c2}\\x{b4}', 'a\xc2\xb4b')).toBe(true);
    expect(m('rx', '\\xe2\\x80[\\x98\\x99]', '\xe2\x80\x99')).toBe(true);
    expect(m('rx', 'a.b', 'a\xffb')).toBe(true);
    expect(m('rx', '^.{3}$', '\xe2\x80\x99')).toBe(true);
    expect(m('rx', '[^a]', '\x80')).toBe(true);
  });
  it('non-ASCII characters in the pattern are their UTF-8 bytes', () => {
    expect(m('rx', 'é', 'caf\xc3\xa9')).toBe(true);
    expect(m('rx', 'é', 'caf\xe9')).toBe(false);
    expect(m('rx', '[é]', '\xa9')).toBe(true); // a class of the two bytes, as PCRE in byte mode
    expect(m('rx', '\\Qé.\\E', '\xc3\xa9.')).toBe(true);
    expect(m('rx', '\\Qé.\\E', '\xc3\xa9x')).toBe(false);
    // A long pattern with non-ASCII at both ends (its escaped form is built in one piece).
    const mid = 'abc|'.repeat(500);
    expect(m('rx', 'é(?:' + mid + 'zz)ü', 'x\xc3\xa9zz\xc3\xbcx')).toBe(true);
    expect(m('rx', 'é(?:' + mid + 'zz)ü', 'x\xc3\xa9zy\xc3\xbcx')).toBe(false);
  });
  it('fills TX.0 (whole match) and TX.1..9 (groups; "" for a group that did not take part)', () => {
    expect(cap('rx', '(\\d+)-(\\d+)', 'id=12-34', 0)).toBe('12-34');
    expect(cap('rx', '(\\d+)-(\\d+)', 'id=12-34', 2)).toBe('34');
    expect(cap('rx', 'a(x)?b', 'ab', 1)).toBe('');
    expect(cap('rx', '(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)', 'abcdefghijk', 9)).toBe('i');
    expect(cap('rx', 'zz', 'ab', 0)).toBe('<no match>');
  });
  it('bad patterns and macros are compile errors', () => {
    expectHas(err('rx', 'a('), '@rx: invalid pattern');
    expectHas(err('rx', '(?=x)'), 'look-around');
    expectHas(err('rx', '%{tx.x}'), 'macros');
  });
  it('hostile inputs: 256 KiB, NULs, every byte', () => {
    const big = new Uint8Array(1 << 18);
    big.fill(0x61);
    expect(op('rx', '(a+)+b').matches(big, null, null)).toBe(false);
    big[big.length - 1] = 0x62;
    expect(op('rx', '(a+)+b').matches(big, null, new Captures())).toBe(true);
    expect(m('rx', 'a\\x00b', 'a\x00b')).toBe(true);
    const all = new Uint8Array(256);
    for (let i = 0; i < 256; i++) all[i] = u8(i);
    expect(op('rx', '\\xff$').matches(all, null, null)).toBe(true);
  });
});

describe('numeric', () => {
  it('compares as integers; non-numeric is 0; leading spaces and trailing junk as std::stoi', () => {
    expect(m('eq', '0', '')).toBe(true);
    expect(m('eq', '0', 'abc')).toBe(true);
    expect(m('eq', '12', ' 12abc')).toBe(true);
    expect(m('eq', '-3', '-3')).toBe(true);
    expect(m('gt', '5', '6')).toBe(true);
    expect(m('gt', '5', '5')).toBe(false);
    expect(m('ge', '5', '5')).toBe(true);
    expect(m('lt', '5', '4')).toBe(true);
    expect(m('le', '5', '6')).toBe(false);
    expect(m('eq', '0', '99999999999')).toBe(true); // std::stoi: out of int range is an error, so 0
    expect(m('eq', '-2147483648', '-2147483648')).toBe(true);
    expect(m('gt', '2147483647', '99999999999')).toBe(true); // atoll: 64 bits
    expect(m('gt', '9223372036854775806', '99999999999999999999999')).toBe(true); // saturates
    expect(m('lt', '-9223372036854775807', '-99999999999999999999999')).toBe(true);
    expect(m('ge', '-9223372036854775808', '-9223372036854775808')).toBe(true);
    // The 64-bit boundary itself: the last values that fit, and one past them (saturated).
    expect(m('gt', '9223372036854775806', '9223372036854775807')).toBe(true);
    expect(m('ge', '9223372036854775807', '9223372036854775807')).toBe(true);
    expect(m('gt', '9223372036854775807', '9223372036854775808')).toBe(false);
    expect(m('le', '-9223372036854775808', '-9223372036854775809')).toBe(true);
    expect(m('lt', '-9223372036854775808', '-9223372036854775809')).toBe(false);
    expect(m('lt', '-9223372036854775807', '-9223372036854775808')).toBe(true);
    expect(m('eq', '2147483647', '2147483647')).toBe(true);
    expect(m('eq', '0', '2147483648')).toBe(true);
    expect(m('eq', '-2147483648', '-2147483648')).toBe(true);
    expect(m('eq', '0', '-2147483649')).toBe(true);
  });
  it('takes a macro parameter from the expanded text', () => {
    const o = op('ge', '%{tx.inbound_anomaly_score_threshold}');
    expect(o.matches(bin('5'), '5', null)).toBe(true);
    expect(o.matches(bin('4'), '5', null)).toBe(false);
    expect(o.matches(bin('5'), ' +5abc', null)).toBe(true);
    expect(o.matches(bin('0'), 'x', null)).toBe(true); // non-numeric threshold is 0
    expect(op('lt', '%{tx.a}').matches(bin('-2147483648'), '-2147483647', null)).toBe(true);
  });
});

describe('string operators', () => {
  it('@streq / @contains / @beginsWith / @endsWith', () => {
    expect(m('streq', 'POST', 'POST')).toBe(true);
    expect(m('streq', 'POST', 'post')).toBe(false);
    expect(m('contains', '.php', 'GET /index.php HTTP/1.1')).toBe(true);
    expect(m('beginsWith', 'GET', 'GET /')).toBe(true);
    expect(m('beginsWith', 'GET /x', 'GET')).toBe(false);
    expect(m('endsWith', 'HTTP/1.1', 'GET / HTTP/1.1')).toBe(true);
    expect(m('endsWith', '.pdf', 'pdf')).toBe(false);
    expect(m('contains', 'a\x00', 'xa\x00')).toBe(true);
  });
  it('@containsWord needs non-letters (or the ends) around the word (ModSecurity v3: digits and _ are boundaries)', () => {
    expect(m('containsWord', 'select', '-1 union select BENCHMARK(1)')).toBe(true);
    expect(m('containsWord', 'select', 'Your site has a wide selection of computers.')).toBe(false);
    expect(m('containsWord', 'select', 'selection, select')).toBe(true);
    expect(m('containsWord', 'select', 'selects')).toBe(false);
    expect(m('containsWord', 'select', 'select_x')).toBe(true);
    expect(m('containsWord', 'select', '1select1')).toBe(true);
    expect(m('containsWord', 'select', 'select')).toBe(true);
    expect(m('containsWord', 'select', '')).toBe(false);
    expect(m('containsWord', '', 'x')).toBe(true);
  });
  it('@within finds the value inside the parameter (substring, as ModSecurity and Coraza)', () => {
    expect(m('within', 'GET POST HEAD', 'POST')).toBe(true);
    expect(m('within', 'GET POST HEAD', 'PUT')).toBe(false);
    expect(m('within', 'GET POST HEAD', 'GE')).toBe(true);
    expect(m('within', '|text/plain| |application/json|', '|text/html|')).toBe(false);
    const o = op('within', '%{tx.allowed_methods}');
    expect(o.matches(bin('PUT'), 'GET PUT', null)).toBe(true);
  });
  it('a macro parameter follows the expanded text from call to call (its bytes are cached)', () => {
    const o = op('within', '%{tx.allowed_methods}');
    expect(o.matches(bin('PUT'), 'GET PUT', null)).toBe(true);
    expect(o.matches(bin('PUT'), 'GET ' + 'PUT', null)).toBe(true); // equal text, another string
    expect(o.matches(bin('PUT'), 'GET POST', null)).toBe(false);
    expect(o.matches(bin('POST'), 'GET POST', null)).toBe(true);
    expect(o.matches(bin('\xc3\xa9'), 'caf\u00e9', null)).toBe(true); // UTF-8 bytes of the text
    expect(o.matches(bin('PUT'), '', null)).toBe(false);
    const e = op('streq', '%{tx.a}');
    expect(e.matches(bin('x'), 'x', null)).toBe(true);
    expect(e.matches(bin('x'), 'y', null)).toBe(false);
    expect(e.matches(bin('y'), 'y', null)).toBe(true);
  });
  it('@strmatch', () => {
    expect(m('strmatch', 'WebZIP', 'Mozilla WebZIP/1.0')).toBe(true);
    expect(m('strmatch', 'WebZIP', 'webzip')).toBe(false);
    expectHas(err('strmatch', ''), 'non-empty');
  });
  it('captures the matched parameter in TX.0', () => {
    expect(cap('contains', 'php', 'x.php')).toBe('php');
  });
});

let pmOp: Operator | null = null;

/** TX.0 of pmOp on v, or "<none>". */
function tx0(v: string): string {
  const c = new Captures();
  if (!pmOp!.matches(bin(v), null, c)) return '<none>';
  return latin1(c.get(0)!);
}

describe('@pm / @pmFromFile', () => {
  it('matches any phrase, ASCII case-insensitive', () => {
    expect(m('pm', 'gzip compress deflate br zstd', 'x-GZIP')).toBe(true);
    expect(m('pm', 'gzip compress deflate br zstd', 'identity')).toBe(false);
    expect(m('pm', '( )', 'a)')).toBe(true);
    expect(m('pm', 'document.cookie <![cdata[', 'x<![CDATA[y')).toBe(true);
    expect(m('pm', 'he she his hers', 'ushers')).toBe(true);
    expect(m('pm', 'abcd bcx', 'abcx')).toBe(true); // needs the fail link from abc to bc
  });
  it('TX.0 is the leftmost-longest occurrence as written in the input', () => {
    expect(cap('pm', 'he she hers', 'uSHErs')).toBe('SHE');
    expect(cap('pm', 'bc abcd', 'xabcd')).toBe('abcd');
    expect(cap('pm', 'a ab abc', 'zabcz')).toBe('abc');
  });
  it('reads phrases from data files: comments, blank lines, CRLF and spaces trimmed', () => {
    const files = new Files().put('x.data', '# comment\n\n  /etc/passwd \r\n.htaccess\n#not-a-phrase\n');
    const o = op('pmFromFile', 'x.data', files);
    expect(o.matches(bin('GET /ETC/PASSWD'), null, null)).toBe(true);
    expect(o.matches(bin('.HTACCESS'), null, null)).toBe(true);
    expect(o.matches(bin('not-a-phrase'), null, null)).toBe(false);
    expect(op('pmf', 'x.data', files).matches(bin('/etc/passwd'), null, null)).toBe(true);
    expect(err('pmFromFile', 'missing.data', files)).toBe('@pmFromFile: data file not found: missing.data');
    expectHas(err('pm', '   '), 'at least one phrase');
  });
  it('phrases sharing prefixes and suffixes, duplicates in other case, non-ASCII bytes', () => {
    const files = new Files().put('p', 'ab\nABC\nabc\nb\nbcd\ncaf\u00e9\n\u00e9t\u00e9\nzzzz\nzz\n');
    pmOp = op('pmf', 'p', files);
    expect(tx0('xxABCD')).toBe('ABC'); // leftmost start (2), the longest phrase there (not ab)
    expect(tx0('xbcdx')).toBe('bcd');
    expect(tx0('CAF\xc3\xa9')).toBe('CAF\xc3\xa9'); // é is its UTF-8 bytes; ASCII folds, bytes >= 0x80 do not
    expect(tx0('CAF\xc3\x89')).toBe('<none>');
    expect(tx0('zzzzz')).toBe('zzzz');
    expect(tx0('azz')).toBe('zz');
    expect(tx0('')).toBe('<none>');
    expect(tx0('\x00\xff\x80')).toBe('<none>');
  });
  it('a long phrase list stays linear', () => {
    let text = '';
    for (let i = 0; i < 2000; i++) text += 'phrase' + i.toString() + 'x\n';
    const o = op('pmf', 'big', new Files().put('big', text));
    const v = new Uint8Array(1 << 18);
    v.fill(0x70);
    expect(o.matches(v, null, null)).toBe(false);
    expect(o.matches(bin('..PHRASE1999X..'), null, null)).toBe(true);
  });
});

describe('@ipMatch', () => {
  it('IPv4 and IPv6 addresses and CIDR blocks', () => {
    expect(m('ipMatch', '127.0.0.1,::1', '127.0.0.1')).toBe(true);
    expect(m('ipMatch', '127.0.0.1,::1', '::1')).toBe(true);
    expect(m('ipMatch', '127.0.0.1,::1', '127.0.0.2')).toBe(false);
    expect(m('ipMatch', '10.0.0.0/8, 192.168.1.0/24', '10.200.3.4')).toBe(true);
    expect(m('ipMatch', '192.168.1.0/24', '192.168.2.1')).toBe(false);
    expect(m('ipMatch', '2001:db8::/32', '2001:db8:1::5')).toBe(true);
    expect(m('ipMatch', '2001:db8::/32', '2001:db9::5')).toBe(false);
    expect(m('ipMatch', '::ffff:1.2.3.0/120', '::ffff:1.2.3.4')).toBe(true);
    expect(m('ipMatch', '0.0.0.0/0', '8.8.8.8')).toBe(true);
    expect(m('ipMatch', '0.0.0.0/0', 'not-an-ip')).toBe(false);
    expect(m('ipMatch', '1.2.3.4', '1.2.3.4\x00')).toBe(false);
  });
  it('bad entries are compile errors', () => {
    expectHas(err('ipMatch', '1.2.3'), 'not an IP address');
    expectHas(err('ipMatch', '1.2.3.4/33'), 'prefix longer');
    expectHas(err('ipMatch', '1:2:3:4:5:6:7:8:9'), 'not an IP address');
    expectHas(err('ipMatch', '1::2::3'), 'not an IP address');
    expectHas(err('ipMatchFromFile', 'nope'), 'not found');
  });
  it('from a file', () => {
    const files = new Files().put('ips', '# blocked\n10.0.0.0/8\n\n2001:db8::1\n');
    const o = op('ipMatchFromFile', 'ips', files);
    expect(o.matches(bin('10.1.1.1'), null, null)).toBe(true);
    expect(o.matches(bin('2001:db8::1'), null, null)).toBe(true);
    expect(o.matches(bin('11.1.1.1'), null, null)).toBe(false);
  });
});

describe('validation operators', () => {
  it('@validateByteRange matches a byte outside the ranges', () => {
    expect(m('validateByteRange', '1-255', 'abc')).toBe(false);
    expect(m('validateByteRange', '1-255', 'a\x00c')).toBe(true);
    expect(m('validateByteRange', '32,34,38,42-59,61,65-90,95,97-122', 'abc=1')).toBe(false);
    expect(m('validateByteRange', '32,34,38,42-59,61,65-90,95,97-122', 'a!')).toBe(true);
    expect(m('validateByteRange', '9,10,13,32-126,128-255', '\x7f')).toBe(true);
    expect(cap('validateByteRange', '65-90', 'ABcD')).toBe('c');
    expectHas(err('validateByteRange', '1-256'), 'not a byte');
    expectHas(err('validateByteRange', '9-1'), 'reversed');
    expectHas(err('validateByteRange', 'a'), 'not a byte');
  });
  it('@validateUrlEncoding matches bad or truncated escapes', () => {
    expect(m('validateUrlEncoding', '', 'a%20b')).toBe(false);
    expect(m('validateUrlEncoding', '', 'a%2')).toBe(true);
    expect(m('validateUrlEncoding', '', 'a%zzb')).toBe(true);
    expect(m('validateUrlEncoding', '', '%')).toBe(true);
    expect(m('validateUrlEncoding', '', '')).toBe(false);
  });
  it('@validateUtf8Encoding matches invalid UTF-8', () => {
    expect(m('validateUtf8Encoding', '', 'caf\xc3\xa9')).toBe(false);
    expect(m('validateUtf8Encoding', '', 'caf\xe9')).toBe(true);
    expect(m('validateUtf8Encoding', '', '\xc0\xaf')).toBe(true); // overlong '/'
    expect(m('validateUtf8Encoding', '', '\xed\xa0\x80')).toBe(true); // surrogate
    expect(m('validateUtf8Encoding', '', '\xf4\x90\x80\x80')).toBe(true); // > U+10FFFF
    expect(m('validateUtf8Encoding', '', '\xe2\x82')).toBe(true); // truncated
  });
});

describe('constant operators', () => {
  it('@unconditionalMatch / @noMatch', () => {
    expect(m('unconditionalMatch', '', '')).toBe(true);
    expect(m('noMatch', '', 'x')).toBe(false);
  });
});

describe('libinjection operators', () => {
  it('@detectSQLi matches SQL injection and captures the fingerprint', () => {
    expect(m('detectSQLi', '', "1' OR '1'='1")).toBe(true);
    expect(m('detectSQLi', '', 'hello world')).toBe(false);
    const fp = cap('detectSQLi', '', '1 UNION SELECT password FROM users');
    expect(fp.length).toBeGreaterThan(0);
    expect(fp == '<no match>').toBe(false);
  });
  it('@detectXSS matches script injection', () => {
    expect(m('detectXSS', '', '<script>alert(1)</script>')).toBe(true);
    expect(m('detectXSS', '', 'a harmless sentence')).toBe(false);
  });
});

describe('hostile parameters', () => {
  it('compiling any operator with odd parameters returns an operator or an error, never a trap', () => {
    const names: string[] = ['rx', 'pm', 'pmFromFile', 'pmf', 'streq', 'strmatch', 'contains', 'containsWord', 'beginsWith',
      'endsWith', 'within', 'eq', 'ge', 'gt', 'le', 'lt', 'ipMatch', 'ipMatchFromFile', 'ipMatchF', 'validateByteRange',
      'validateUrlEncoding', 'validateUtf8Encoding', 'unconditionalMatch', 'noMatch', 'detectSQLi', 'detectXSS', 'rsub'];
    const params: string[] = ['', ' ', ',', '-', '1-', '-1', ',,,', '/', '::', ':::', '1.2.3.4/', '1.2.3.4/-1', '::ffff:1.2.3.4/200',
      '256', '99999999999999999999', '%{', '%{tx.a', '\\', '(', ')', '[', '\\x{110000}', '\\Q', 'é', '\u0000', '\uFFFF', '\uD800',
      'a'.repeat(5000), '|41|', '#', '\n\n'];
    const values: string[] = ['', 'x', '1.2.3.4', '::1', '%', '\x00\xff', 'a'.repeat(300)];
    let compiled = 0;
    for (let i = 0; i < names.length; i++) {
      for (let j = 0; j < params.length; j++) {
        const r = compileOperator(names[i], params[j], new Files().put('#', 'a\n').put('a', '1.2.3.4\n'));
        if (r.op == null) {
          expect(r.error.length).toBeGreaterThan(0);
          continue;
        }
        compiled++;
        for (let k = 0; k < values.length; k++) {
          r.op!.matches(bin(values[k]), params[j], new Captures());
          r.op!.matches(bin(values[k]), null, null);
        }
      }
    }
    expect(compiled).toBeGreaterThan(100);
  });
});
