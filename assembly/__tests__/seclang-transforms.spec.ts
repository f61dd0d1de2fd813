// Transformations: vectors derived from the ModSecurity reference manual / Coraza documentation and
// known tricky inputs, plus hostile ones. Strings stand for bytes: each char code 0..255 is one byte.
import { transformId, applyTransform } from '../seclang/transforms/index';
import { Bytes, latin1 } from '../seclang/types';
import { normalizePath, normalizePathFull, normalizePathWin, normalizePathWinFull } from '../seclang/transforms/path';

function bin(s: string): Bytes {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = u8(s.charCodeAt(i));
  return out;
}

function id(name: string): i32 {
  const i = transformId(name);
  if (i < 0) throw new Error('unknown transformation ' + name);
  return i;
}

function t(name: string, input: string): string {
  return latin1(applyTransform(id(name), bin(input)));
}

function hex(b: Bytes): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

/** The transformation returns the very same object when nothing changes. */
function unchanged(name: string, input: string): bool {
  const b = bin(input);
  return applyTransform(id(name), b) === b;
}

const ALL: string[] = [
  'base64Decode', 'base64DecodeExt', 'base64Encode', 'cmdLine', 'compressWhitespace', 'cssDecode',
  'escapeSeqDecode', 'hexDecode', 'hexEncode', 'htmlEntityDecode', 'jsDecode', 'length', 'lowercase',
  'uppercase', 'md5', 'sha1', 'normalizePath', 'normalizePathWin', 'normalisePath', 'parityEven7bit',
  'parityOdd7bit', 'parityZero7bit', 'removeComments', 'removeCommentsChar', 'removeNulls',
  'removeWhitespace', 'replaceComments', 'replaceNulls', 'sqlHexDecode', 'trim', 'trimLeft', 'trimRight',
  'urlDecode', 'urlDecodeUni', 'urlEncode', 'utf8toUnicode',
];

describe('registry', () => {
  it('knows every ModSecurity v3 transformation, case-insensitively; unknown is -1', () => {
    for (let i = 0; i < ALL.length; i++) expect(transformId(ALL[i])).toBeGreaterThanOrEqual(0, ALL[i]);
    expect(transformId('URLDECODEUNI')).toBe(transformId('urlDecodeUni'));
    expect(transformId('nosuch')).toBe(-1);
    expect(transformId('none')).toBe(-1);
    expect(transformId('')).toBe(-1);
  });
  it('an out-of-range id leaves the value alone', () => {
    const b = bin('x');
    expect(applyTransform(-1, b) === b).toBe(true);
    expect(applyTransform(9999, b) === b).toBe(true);
  });
});

describe('case', () => {
  it('ASCII only, same object when unchanged', () => {
    expect(t('lowercase', 'SeLeCT \xc9')).toBe('select \xc9');
    expect(t('uppercase', 'select')).toBe('SELECT');
    expect(unchanged('lowercase', 'abc 123')).toBe(true);
    expect(unchanged('uppercase', 'ABC')).toBe(true);
  });
  it('every byte value, at every offset of the 8-byte fast path', () => {
    let wrong = 0;
    for (let shift = 0; shift < 9; shift++) {
      const all = new Uint8Array(256 + shift);
      for (let i = 0; i < 256; i++) all[shift + i] = u8(i);
      const lo = applyTransform(id('lowercase'), all);
      const up = applyTransform(id('uppercase'), all);
      for (let i = 0; i < 256; i++) {
        if (lo[shift + i] != u8(i >= 0x41 && i <= 0x5a ? i + 32 : i)) wrong++;
        if (up[shift + i] != u8(i >= 0x61 && i <= 0x7a ? i - 32 : i)) wrong++;
      }
    }
    expect(wrong).toBe(0);
    expect(unchanged('lowercase', 'already lower case text, long enough for words \xc0\xdf')).toBe(true);
  });
});

describe('url', () => {
  it('urlDecode: + is space, invalid and truncated escapes stay', () => {
    expect(t('urlDecode', 'a%20b+c%2')).toBe('a b c%2');
    expect(t('urlDecode', '%zz%4')).toBe('%zz%4');
    expect(t('urlDecode', '%00%ff%FF')).toBe('\x00\xff\xff');
    expect(t('urlDecode', '%%41')).toBe('%A');
    expect(unchanged('urlDecode', 'abc')).toBe(true);
    expect(unchanged('urlDecode', '100%')).toBe(true);
  });
  it('urlDecodeUni: %uXXXX best-fit to ASCII, low byte otherwise, full-width ASCII, bad %u kept', () => {
    expect(t('urlDecodeUni', '%u0041%u0062')).toBe('Ab');
    expect(t('urlDecodeUni', '%uff1cscript%uff1e')).toBe('<script>'); // full-width < >
    expect(t('urlDecodeUni', '%u2019')).toBe("'"); // right single quotation mark, best fit
    expect(t('urlDecodeUni', '%u00e9')).toBe('e'); // é best-fits to e
    expect(t('urlDecodeUni', '%u4e2d')).toBe('\x2d'); // no best fit: low byte
    expect(t('urlDecodeUni', '%U0041')).toBe('A');
    expect(t('urlDecodeUni', '%u004')).toBe('%u004');
    expect(t('urlDecodeUni', '%uzzzz%41')).toBe('%uzzzzA');
    expect(t('urlDecodeUni', 'a+b%2fc')).toBe('a b/c');
    expect(t('urlDecodeUni', '%')).toBe('%');
    expect(t('urlDecodeUni', '%u')).toBe('%u');
    expect(unchanged('urlDecodeUni', '%zz')).toBe(true);
  });
  it('urlEncode keeps letters, digits and *; space is +', () => {
    expect(t('urlEncode', 'a b*/~\xff')).toBe('a+b*%2f%7e%ff');
    expect(unchanged('urlEncode', 'abc123')).toBe(true);
  });
});

describe('base64', () => {
  it('base64Decode is forgiving: stops at = / space / bad byte, keeps partial groups', () => {
    expect(t('base64Decode', 'SGVsbG8=')).toBe('Hello');
    expect(t('base64Decode', 'SGVsbG8')).toBe('Hello');
    expect(t('base64Decode', 'SGVs\r\nbG8=')).toBe('Hello');
    expect(t('base64Decode', 'SGVs bG8=')).toBe('Hel');
    expect(t('base64Decode', 'SGVs!bG8=')).toBe('Hel');
    expect(t('base64Decode', '')).toBe('');
    expect(t('base64Decode', '====')).toBe('');
  });
  it('base64DecodeExt skips junk and takes the URL alphabet', () => {
    expect(t('base64DecodeExt', 'SG Vs.b!G8')).toBe('Hello');
    expect(t('base64DecodeExt', '-_-_')).toBe('\xfb\xff\xbf');
  });
  it('base64Encode', () => {
    expect(t('base64Encode', 'Hello')).toBe('SGVsbG8=');
    expect(t('base64Encode', 'He')).toBe('SGU=');
    expect(t('base64Encode', 'Hel')).toBe('SGVs');
  });
});

describe('cmdLine', () => {
  it('deletes \\ " \' ^, squeezes separators, drops the space before / and (, lower-cases', () => {
    expect(t('cmdLine', 'C^AT /E"T"C/PA\\SS\'WD')).toBe('cat/etc/passwd');
    expect(t('cmdLine', 'ls,;\t -la')).toBe('ls -la');
    expect(t('cmdLine', 'echo (x)')).toBe('echo(x)');
    expect(unchanged('cmdLine', 'cat')).toBe(true);
  });
});

describe('whitespace', () => {
  it('compressWhitespace / removeWhitespace / trims', () => {
    expect(t('compressWhitespace', 'a \t\r\n\x0b\x0cb\xa0\xa0c')).toBe('a b c');
    expect(t('compressWhitespace', 'a\xc2\xa0b')).toBe('a b');
    expect(unchanged('compressWhitespace', 'a b c')).toBe(true);
    expect(t('removeWhitespace', ' s e\tl\ne\xa0c\xe3\x80\x80t ')).toBe('select');
    expect(t('trim', ' \t x y \r\n')).toBe('x y');
    expect(t('trimLeft', '  x ')).toBe('x ');
    expect(t('trimRight', '  x ')).toBe('  x');
    expect(unchanged('trim', 'x')).toBe(true);
  });
});

describe('decoders', () => {
  it('cssDecode', () => {
    expect(t('cssDecode', 'ja\\vascript')).toBe('javascript');
    expect(t('cssDecode', '\\6a \\61vascript')).toBe('javascript');
    expect(t('cssDecode', '\\0000e9')).toBe('\xc3\xa9');
    expect(t('cssDecode', '\\ff1c')).toBe('<');
    expect(t('cssDecode', 'a\\\nb\\')).toBe('ab');
    expect(t('cssDecode', '\\0')).toBe('\xef\xbf\xbd');
  });
  it('escapeSeqDecode', () => {
    expect(t('escapeSeqDecode', '\\n\\t\\x41\\101\\q\\')).toBe('\n\tAAq\\');
    expect(t('escapeSeqDecode', '\\x4')).toBe('x4');
    expect(t('escapeSeqDecode', '\\777')).toBe('\xff');
  });
  it('jsDecode', () => {
    expect(t('jsDecode', '\\u0061\\x62\\143\\n\\\'')).toBe("abc\n'");
    expect(t('jsDecode', '\\uff1c')).toBe('<');
    expect(t('jsDecode', '\\u{3c}\\u{ff1e}')).toBe('<>');
    expect(t('jsDecode', '\\477')).toBe('\x277'); // \47 then 7: one byte at most
    expect(t('jsDecode', '\\u12')).toBe('u12');
    expect(t('jsDecode', 'x\\')).toBe('x\\');
  });
  it('htmlEntityDecode (ModSecurity: numeric low byte, 5 names, ; optional)', () => {
    expect(t('htmlEntityDecode', '&lt;script&gt;')).toBe('<script>');
    expect(t('htmlEntityDecode', '&LT&gt&quot;&amp;&nbsp;')).toBe('<>"&\xa0');
    expect(t('htmlEntityDecode', '&#60;&#x3c;&#X3C&#0060')).toBe('<<<<');
    expect(t('htmlEntityDecode', '&#x13c;')).toBe('<'); // low byte
    expect(t('htmlEntityDecode', '&copy; &#; &#x; &')).toBe('&copy; &#; &#x; &');
    expect(t('htmlEntityDecode', '&#99999999999999999999999;')).toBe('\xff');
    expect(unchanged('htmlEntityDecode', 'a & b')).toBe(true);
  });
  it('hexDecode / hexEncode / sqlHexDecode', () => {
    expect(t('hexDecode', '414243')).toBe('ABC');
    expect(t('hexDecode', '41424')).toBe('41424');
    expect(t('hexDecode', '41zz')).toBe('41zz');
    expect(t('hexEncode', 'AB\xff')).toBe('4142ff');
    expect(t('sqlHexDecode', 'SELECT 0x414243, 0x4')).toBe('SELECT ABC, 0x4');
    expect(t('sqlHexDecode', '0x4142F')).toBe('ABF');
  });
  it('utf8toUnicode', () => {
    expect(t('utf8toUnicode', 'caf\xc3\xa9 \xe2\x80\x99 \xf0\x9f\x98\x80')).toBe('caf%u00e9 %u2019 %u1f600');
    expect(t('utf8toUnicode', 'a\xffb')).toBe('a%ufffdb');
    expect(unchanged('utf8toUnicode', 'ascii')).toBe(true);
  });
});

describe('comments', () => {
  it('removeComments', () => {
    expect(t('removeComments', 'sel/*x*/ect')).toBe('sele' + 'ct');
    expect(t('removeComments', 'a/*x*/b')).toBe('ab');
    expect(t('removeComments', 'a<!--x-->b')).toBe('ab');
    expect(t('removeComments', 'a/*open')).toBe('a ');
    expect(t('removeComments', "1' -- x")).toBe("1' ");
    expect(t('removeComments', '1 # x')).toBe('1 ');
    expect(t('removeComments', 'a/*x*/')).toBe('a\x00');
  });
  it('removeCommentsChar / replaceComments', () => {
    expect(t('removeCommentsChar', 'a/*b*/c<!--d-->e--f#g')).toBe('abcdefg');
    expect(t('replaceComments', 'un/**/ion/*x')).toBe('un ion ');
    expect(unchanged('replaceComments', 'a*/b')).toBe(true);
  });
});

describe('paths', () => {
  it('normalizePath', () => {
    expect(t('normalizePath', '/a/b/../c/./d//e')).toBe('/a/c/d/e');
    expect(t('normalizePath', '/../../etc/passwd')).toBe('/etc/passwd');
    expect(t('normalizePath', '../../etc/passwd')).toBe('../../etc/passwd');
    expect(t('normalizePath', 'a/b/../../..')).toBe('..');
    expect(t('normalizePath', '/a/b/')).toBe('/a/b/');
    expect(t('normalizePath', '/a/./')).toBe('/a/');
    expect(t('normalizePath', 'a/..')).toBe('');
    expect(t('normalizePath', '/')).toBe('/');
    expect(unchanged('normalizePath', '/a/b')).toBe(true);
  });
  it('normalizePathWin', () => {
    expect(t('normalizePathWin', 'C:\\a\\..\\b\\x.asp')).toBe('C:/b/x.asp');
    expect(t('normalizePathWin', '/x/file.asp::$DATA')).toBe('/x/file.asp');
    expect(t('normalizePathWin', '/x/file.asp. . ')).toBe('/x/file.asp');
    expect(t('normalizePathWin', '\\..\\..\\boot.ini')).toBe('/boot.ini');
  });
  it('the already-clean shortcut answers as the full algorithm, on every string of up to 5 path bytes', () => {
    // Alphabet: the bytes that matter to cleaning (/ . \\ : space) and an ordinary one.
    const alphabet = bin('/.\\: a');
    const k = alphabet.length;
    let total = 1;
    let mismatches = 0;
    let unchangedCount = 0;
    for (let len = 1; len <= 5; len++) {
      total *= k;
      const b = new Uint8Array(len);
      for (let code = 0; code < total; code++) {
        let c = code;
        for (let i = 0; i < len; i++) { b[i] = alphabet[c % k]; c /= k; }
        const fast = normalizePath(b);
        const full = normalizePathFull(b);
        if (latin1(fast) != latin1(full) || (fast === b) != (full === b)) mismatches++;
        const fastW = normalizePathWin(b);
        const fullW = normalizePathWinFull(b);
        if (latin1(fastW) != latin1(fullW) || (fastW === b) != (fullW === b)) mismatches++;
        if (fastW === b) unchangedCount++;
      }
    }
    expect(mismatches).toBe(0);
    expect(unchangedCount).toBeGreaterThan(100);
    expect(unchanged('normalizePathWin', 'some ordinary text value number 3')).toBe(true);
    expect(unchanged('normalizePath', '/products/list')).toBe(true);
  });
});

describe('shared work buffer', () => {
  it('results of the transformations that write into one buffer stay intact after later calls', () => {
    const a = applyTransform(id('base64Decode'), bin('aGVsbG8='));
    const b = applyTransform(id('removeWhitespace'), bin('x y\tz'));
    const c = applyTransform(id('replaceComments'), bin('a/*b*/c'));
    const d = applyTransform(id('cmdLine'), bin('C^A"T /etc'));
    const e = applyTransform(id('removeCommentsChar'), bin('a/*b'));
    const f = applyTransform(id('removeComments'), bin('x/*y*/z'));
    const g = applyTransform(id('base64DecodeExt'), bin('d29y.bGQ'));
    expect(latin1(a)).toBe('hello');
    expect(latin1(b)).toBe('xyz');
    expect(latin1(c)).toBe('a c');
    expect(latin1(d)).toBe('cat/etc');
    expect(latin1(e)).toBe('ab');
    expect(latin1(f)).toBe('xz');
    expect(latin1(g)).toBe('world');
    expect(applyTransform(id('base64Decode'), bin('!!')).length).toBe(0);
    expect(unchanged('replaceComments', 'no comment here')).toBe(true);
    expect(unchanged('removeCommentsChar', 'plain')).toBe(true);
  });
});

describe('misc', () => {
  it('length, nulls, parity', () => {
    expect(t('length', 'hello')).toBe('5');
    expect(t('length', '')).toBe('0');
    expect(t('removeNulls', 'a\x00b\x00')).toBe('ab');
    expect(t('replaceNulls', 'a\x00b')).toBe('a b');
    expect(unchanged('removeNulls', 'ab')).toBe(true);
    expect(t('parityZero7bit', '\xc1\x41')).toBe('AA');
    expect(t('parityEven7bit', 'AC')).toBe('A\xc3'); // A=0x41 two bits set; C=0x43 three
    expect(t('parityOdd7bit', 'AC')).toBe('\xc1C');
  });
  it('md5 / sha1 give the raw digest (RFC 1321 / FIPS 180 vectors)', () => {
    expect(hex(applyTransform(id('md5'), bin('')))).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(hex(applyTransform(id('md5'), bin('abc')))).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(hex(applyTransform(id('md5'), bin('12345678901234567890123456789012345678901234567890123456789012345678901234567890')))).toBe('57edf4a22be3c955ac49da2e2107b67a');
    expect(hex(applyTransform(id('sha1'), bin('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(applyTransform(id('sha1'), bin('')))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(hex(applyTransform(id('sha1'), bin('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
  });
});

describe('hostile input', () => {
  it('no transformation traps on truncated escapes, NULs, invalid UTF-8, every byte, or 128 KiB', () => {
    const nasty: string[] = ['%', '%u', '%u1', '\\', '\\u', '\\u{', '\\u{1', '\\x', '&', '&#', '&#x', '/*', '<!-', '--',
      '0x', '0x4', '\x00', '\xff\xfe', '\xc3', '\xe2\x82', '\\\\\\', '/..', '..', '.', '/', 'C:', ':', '\\0'];
    const all = new Uint8Array(256);
    for (let i = 0; i < 256; i++) all[i] = u8(i);
    for (let k = 0; k < ALL.length; k++) {
      const i = id(ALL[k]);
      for (let j = 0; j < nasty.length; j++) applyTransform(i, bin(nasty[j]));
      applyTransform(i, all);
      applyTransform(i, new Uint8Array(0));
    }
    const big = new Uint8Array(1 << 17);
    for (let i = 0; i < big.length; i++) big[i] = u8(i * 7 + (i >> 8));
    for (let k = 0; k < ALL.length; k++) applyTransform(id(ALL[k]), big);
    expect(t('urlDecodeUni', '%u%u%%%41')).toBe('%u%u%%A');
  });
});
