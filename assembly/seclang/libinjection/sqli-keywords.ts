// Keyword lookup: a word's token type from the generated table, or 0 when it is not a keyword.
// The word is upper-cased as libinjection-go does it (Go's strings.ToUpper, which Coraza uses): ASCII
// letters, plus the two non-ASCII letters whose upper case is ASCII, U+0131 'ı' -> 'I' and U+017F 'ſ' -> 'S'
// (so "ſelect" is SELECT there). Any other non-ASCII byte cannot be part of an (all-ASCII) key.
import { SQL_KEYWORDS } from './sqli-keywords-data';
import { FNV_START, SortedTable } from './sorted-table';
import { T_NONE } from './sqli-types';

const key = new StaticArray<u8>(64);

/** Type of the `len` bytes at `word`, or T_NONE. */
export function lookupWord(word: usize, len: i32): u8 {
  if (len > 64) return T_NONE;
  let n = 0;
  let hash = FNV_START;
  for (let i = 0; i < len; i++) {
    let c = load<u8>(word + <usize>i);
    if (c >= 0x61 && c <= 0x7a) c -= 0x20;
    else if (c >= 0x80) {
      const next = i + 1 < len ? load<u8>(word + <usize>(i + 1)) : 0;
      if (c == 0xc4 && next == 0xb1) c = 0x49; // ı
      else if (c == 0xc5 && next == 0xbf) c = 0x53; // ſ
      else return T_NONE;
      i++;
    }
    unchecked((key[n++] = c));
    hash = SortedTable.hashStep(hash, c);
  }
  const t = SQL_KEYWORDS.findHashed(changetype<usize>(key), n, hash);
  return t < 0 ? T_NONE : <u8>t;
}
