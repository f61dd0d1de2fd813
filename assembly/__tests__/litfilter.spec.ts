import { LiteralFilter } from '../regex/index';

function cands(f: LiteralFilter, value: string): u32 {
  const buf = String.UTF8.encode(value);
  return f.candidates(changetype<usize>(buf), buf.byteLength);
}

/** Members: 0 "union" (a triple), 1 "<" (a single), 2 "/*" (a pair), 3 no literals (always), 4 "exec" or "ab". */
function filter(): LiteralFilter {
  const f = new LiteralFilter();
  f.add(0, ['union']);
  f.add(1, ['<']);
  f.add(2, ['/*']);
  f.add(3, null);
  f.add(4, ['exec', 'ab']);
  return f;
}

describe('LiteralFilter', () => {
  it('names the members whose literal beginnings a value holds, wherever they are', () => {
    const f = filter();
    expect(cands(f, 'x UNION select') & 1).toBe(1);
    expect(cands(f, 'a<b') & 2).toBe(2);
    expect(cands(f, 'ab /* c') & 4).toBe(4);
    expect(cands(f, 'ExEc(1)') & 16).toBe(16);
    expect(cands(f, 'lab') & 16).toBe(16);
  });

  it('always includes members without literals', () => {
    expect(cands(filter(), '') & 8).toBe(8);
    expect(cands(filter(), 'plain') & 8).toBe(8);
  });

  it('leaves out members whose literal beginnings are absent (the bitmap skips empty slots)', () => {
    // Collisions may only add members; these short values share no slot with the literals above.
    const c = cands(filter(), 'hello world');
    expect(c & 1).toBe(0);
    expect(c & 2).toBe(0);
    expect(c & 4).toBe(0);
  });

  it('stops at the end of short values', () => {
    const f = new LiteralFilter();
    f.add(0, ['un']);
    expect(cands(f, 'u')).toBe(0);
    expect(cands(f, 'un')).toBe(1);
  });
});
