// SQLi detection: fingerprint the input in each quote context and comment dialect, look the fingerprint
// up among libinjection's known-SQLi fingerprints, then apply its false-positive reduction rules.
import { lookupWord } from './sqli-keywords';
import { fold } from './sqli-fold';
import { SqliState } from './sqli-state';
import {
  BACKTICK, DOUBLE_QUOTE, FLAG_QUOTE_DOUBLE, FLAG_QUOTE_NONE, FLAG_QUOTE_SINGLE, FLAG_SQL_ANSI, FLAG_SQL_MYSQL,
  SINGLE_QUOTE, T_BAREWORD, T_COMMENT, T_EVIL, T_FINGERPRINT, T_KEYWORD, T_NUMBER, T_UNION,
} from './sqli-types';

const fpKey = new StaticArray<u8>(9);

/** Tokenizes and folds with `flags`, leaving the fingerprint in s.fingerprint. */
export function fingerprint(s: SqliState, flags: i32): void {
  s.reset(flags);
  let n = fold(s);
  if (n > 8) n = 8;
  // PHP's unclosed empty backtick at the end works as a comment.
  if (n > 2) {
    const last = s.token(n - 1);
    if (last.category == T_BAREWORD && last.strOpen == BACKTICK && last.len == 0 && last.strClose == 0) {
      last.category = T_COMMENT;
    }
  }
  for (let i = 0; i < n; i++) {
    const c = s.token(i).category;
    if (c == T_EVIL) {
      // Could not be parsed reliably (nested comments, MySQL /*! ...): the fingerprint is "X".
      unchecked((s.fingerprint[0] = T_EVIL));
      s.fingerprintLen = 1;
      const t0 = s.token(0);
      t0.category = T_EVIL;
      unchecked((t0.val[0] = T_EVIL));
      t0.len = 1;
      return;
    }
    unchecked((s.fingerprint[i] = c));
  }
  s.fingerprintLen = n;
}

/** Is the fingerprint one of the known SQLi fingerprints? */
function blacklisted(s: SqliState): bool {
  const n = s.fingerprintLen;
  if (n < 1) return false;
  unchecked((fpKey[0] = 0x30)); // table keys are '0' + the upper-cased fingerprint
  for (let i = 0; i < n; i++) {
    let c = unchecked(s.fingerprint[i]);
    if (c >= 0x61 && c <= 0x7a) c -= 0x20;
    unchecked((fpKey[i + 1] = c));
  }
  return lookupWord(changetype<usize>(fpKey), n + 1) == T_FINGERPRINT;
}

function fingerprintIs(s: SqliState, text: string): bool {
  if (s.fingerprintLen != text.length) return false;
  for (let i = 0; i < s.fingerprintLen; i++) if (<i32>s.fingerprint[i] != text.charCodeAt(i)) return false;
  return true;
}

/** libinjection's false-positive reduction for a blacklisted fingerprint: true when it stays SQLi. */
function notWhitelisted(s: SqliState): bool {
  const n = s.fingerprintLen;
  const input = s.input;
  // Ending comment with 'sp_password': SQL Server keeps such statements out of its audit log.
  if (n > 1 && s.fingerprint[n - 1] == T_COMMENT && input.contains('sp_password')) return true;
  const t0 = s.token(0);
  const t1 = s.token(1);
  if (n == 2) {
    // Very short fingerprints are hard to tell from normal input.
    if (s.fingerprint[1] == T_UNION) return s.statsTokens != 2; // "1 union" only with other SQL around
    if (t1.at(0) == 0x23) return false; // '#' comments: too many false positives
    // "nc": only /* comments count after a word.
    if (t0.category == T_BAREWORD && t1.category == T_COMMENT && t1.at(0) != 0x2f) return false;
    if (t0.category == T_NUMBER && t1.category == T_COMMENT && t1.at(0) != 0x2f) return true;
    if (t0.category == T_NUMBER && t1.category == T_COMMENT) {
      if (s.statsTokens > 2) return true; // folding happened
      // "1234 --" and "1/*" are SQLi; base64-ish "1234-ABC--" is not.
      const c = input.at(t0.len);
      if (c <= 32) return true;
      if (c == 0x2f && input.at(t0.len + 1) == 0x2a) return true;
      if (c == 0x2d && input.at(t0.len + 1) == 0x2d) return true;
      return false;
    }
    // '--' only counts at the very end of the input ("1--", not "1-- foo").
    if (t1.len > 2 && t1.at(0) == 0x2d) return false;
  } else if (n == 3) {
    if (fingerprintIs(s, 'sos') || fingerprintIs(s, 's&s')) {
      // ...foo" + "bar...: no opening and no closing quote, and the quotes match up.
      const t2 = s.token(2);
      return t0.strOpen == 0 && t2.strClose == 0 && t0.strClose == t2.strOpen;
    }
    if (fingerprintIs(s, 's&n') || fingerprintIs(s, 'n&1') || fingerprintIs(s, '1&1') ||
      fingerprintIs(s, '1&v') || fingerprintIs(s, '1&s')) {
      // 'sexy and 17' is not SQLi, 'sexy and 17<18' is.
      if (s.statsTokens == 3) return false;
    }
    // A keyword in the middle is harmless unless it is INTO OUTFILE / INTO DUMPFILE (MySQL).
    if (t1.category == T_KEYWORD && (t1.len < 5 || !t1.startsWithUpper('INTO'))) return false;
  }
  return true;
}

function isSqli(s: SqliState): bool {
  return blacklisted(s) && notWhitelisted(s);
}

/** Tries a context, and the MySQL dialect too when the ANSI parse met dialect-dependent comments. */
function tryContext(s: SqliState, quote: i32, mysqlRetry: bool): bool {
  fingerprint(s, quote | FLAG_SQL_ANSI);
  if (isSqli(s)) return true;
  if (mysqlRetry && (s.statsCommentDDX != 0 || s.statsCommentHash != 0)) {
    fingerprint(s, quote | FLAG_SQL_MYSQL);
    if (isSqli(s)) return true;
  }
  return false;
}

/** Runs every context libinjection tries; true (fingerprint in s) when one of them is SQLi. */
export function checkSqli(s: SqliState): bool {
  const input = s.input;
  if (input.len == 0) return false;
  if (tryContext(s, FLAG_QUOTE_NONE, true)) return true;
  // As if the input continued a '...' or "..." string: "1' = 1" as "'1' = 1".
  if (input.indexOfByte(SINGLE_QUOTE, 0) >= 0 && tryContext(s, FLAG_QUOTE_SINGLE, true)) return true;
  if (input.indexOfByte(DOUBLE_QUOTE, 0) >= 0) {
    // libinjection tries the double-quote context in the MySQL dialect only.
    fingerprint(s, FLAG_QUOTE_DOUBLE | FLAG_SQL_MYSQL);
    if (isSqli(s)) return true;
  }
  return false;
}
