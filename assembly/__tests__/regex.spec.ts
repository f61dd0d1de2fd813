import { Regex, RegexSet, replaceAll, steps, resetSteps, parseFlags } from '../regex/index';

function re(pattern: string, flags: string = ''): Regex {
  const r = Regex.compileFlags(pattern, flags);
  if (r.regex == null) throw new Error('compile failed: ' + pattern + ': ' + r.error);
  return r.regex!;
}

/** "start,end" of group g after matching, or "none". */
function span(r: Regex, input: string, g: i32 = 0): string {
  const buf = String.UTF8.encode(input);
  if (!r.capturesBytes(changetype<usize>(buf), buf.byteLength)) return 'none';
  return r.slots[2 * g].toString() + ',' + r.slots[2 * g + 1].toString();
}

function errorOf(pattern: string): string {
  return Regex.compile(pattern).error;
}

describe('regex compile', () => {
  it('accepts RE2 syntax', () => {
    const ok = ['a|b', '(?i)x', '(?P<n>a)(?<m>b)', '[[:alpha:]\\d]', '\\p{Greek}+', 'a{2,5}?', '\\Qa.b\\E', '(?s:.)', '\\x{10FFFF}'];
    for (let i = 0; i < ok.length; i++) expect(Regex.compile(ok[i]).regex).not.toBeNull(ok[i]);
  });

  it('rejects backreferences and look-around with the offset and reason', () => {
    expect(errorOf('ab\\1')).toBe('backreferences are not supported (they need backtracking): \\1 at offset 2');
    expect(errorOf('x(?=y)')).toBe('look-around is not supported (it needs backtracking): (?= at offset 1');
    expect(errorOf('(?<!a)b')).toBe('look-around is not supported (it needs backtracking): (?<! at offset 0');
  });

  it('reports malformed patterns instead of trapping', () => {
    expect(Regex.compile('(a').offset).toBe(0);
    expect(Regex.compile('a)').offset).toBe(1);
    expect(Regex.compile('[z-a]').offset).toBe(1);
    expect(Regex.compile('é[').offset).toBe(2); // byte offset: é is two bytes
    expect(Regex.compile('a**').error).toBe('bad repetition operator: ** at offset 1');
    expect(Regex.compile('a{1001}').regex).toBeNull();
    expect(Regex.compile('((a{10}){10}){11}').regex).toBeNull();
    expect(Regex.compile('\\').error).toBe('trailing \\ at offset 0');
    expect(Regex.compile('\\p{Nope}').regex).toBeNull();
  });

  it('rejects nesting deep enough to threaten the stack', () => {
    expect(Regex.compile('('.repeat(5000) + ')'.repeat(5000)).error).toBe('pattern nests too deeply at offset 250');
    expect(Regex.compile('(?:'.repeat(250) + 'a' + ')*'.repeat(250)).regex).not.toBeNull();
  });

  it('parses flag letters', () => {
    expect(parseFlags('imsU')).toBe(15);
    expect(parseFlags('x')).toBe(-1);
  });
});

describe('regex match', () => {
  it('finds the leftmost-first match and its groups', () => {
    const r = re('(a|ab)(c|bcd)(d*)');
    expect(span(r, 'xabcd')).toBe('1,5');
    expect(span(r, 'xabcd', 1)).toBe('1,2');
    expect(span(r, 'xabcd', 2)).toBe('2,5');
    expect(span(r, 'xabcd', 3)).toBe('5,5');
    expect(span(re('a+?'), 'aaa')).toBe('0,1');
    expect(span(re('(a)?b'), 'b', 1)).toBe('-1,-1');
  });

  it('uses UTF-8 byte offsets and matches whole code points', () => {
    expect(span(re('.b'), 'éb')).toBe('0,3');
    expect(span(re('(?i)É+'), 'xéÉ')).toBe('1,5');
    expect(span(re('\\p{Han}+'), 'ab中文c')).toBe('2,8');
  });

  it('treats invalid UTF-8 bytes as unmatchable without trapping', () => {
    const buf = new Uint8Array(4);
    buf[0] = 0x61;
    buf[1] = 0xff;
    buf[2] = 0xc3;
    buf[3] = 0x62;
    const r = re('a.');
    expect(r.isMatchBytes(buf.dataStart, 4)).toBe(false);
    expect(re('b').isMatchBytes(buf.dataStart, 4)).toBe(true);
    // In bytes (Latin-1) mode every byte is a character.
    expect(re('a.', 'b').isMatchBytes(buf.dataStart, 4)).toBe(true);
  });

  it('implements anchors and ASCII word boundaries', () => {
    expect(span(re('^b'), 'a\nb')).toBe('none');
    expect(span(re('(?m)^b'), 'a\nb')).toBe('2,3');
    expect(span(re('a$'), 'a\n')).toBe('none');
    expect(span(re('\\bfoo\\b'), 'a foo.')).toBe('2,5');
    expect(span(re('\\bfoo'), 'éfoo')).toBe('2,5');
  });
});

describe('regex replace', () => {
  it('replaces every match with \\N substitutions', () => {
    const r = re('/v1/(\\w+)');
    const out = replaceAll(r, '/v1/users and /v1/items', '/api/\\1');
    expect(String.UTF8.decode(out.output!.buffer)).toBe('/api/users and /api/items');
    expect(out.count).toBe(2);
  });

  it('skips an empty match right after the previous one, one code point at a time', () => {
    const out = replaceAll(re('a*'), 'baé', '-');
    expect(String.UTF8.decode(out.output!.buffer)).toBe('-b-é-');
  });

  it('rejects rewrites naming missing groups', () => {
    const out = replaceAll(re('(a)'), 'a', '\\2');
    expect(out.output).toBeNull();
    expect(out.error).toBe('rewrite uses \\2 but the pattern has only 1 groups');
  });
});

describe('regex set', () => {
  it('reports every pattern that matches, in one pass', () => {
    const s = new RegexSet();
    expect(s.add('select')).toBe(0);
    expect(s.add('(?i)union\\s+select')).toBe(1);
    expect(s.add('<script')).toBe(2);
    expect(s.add('(?=x)')).toBe(-1);
    expect(s.build()).toBe(true);
    expect(s.match('1 UNION   select 2')).toBe(2);
    expect(s.matched[0]).toBe(true);
    expect(s.matched[1]).toBe(true);
    expect(s.matched[2]).toBe(false);
  });
});

describe('regex linear time', () => {
  it('takes work proportional to the input on (a*)*b', () => {
    const r = re('(a*)*b');
    resetSteps();
    r.isMatch('a'.repeat(1000));
    const small = steps();
    resetSteps();
    r.isMatch('a'.repeat(4000));
    const big = steps();
    // 4x the input: about 4x the steps (a backtracker would be exponential).
    expect(big < small * 5).toBe(true);
    expect(big > small * 3).toBe(true);
  });
});
