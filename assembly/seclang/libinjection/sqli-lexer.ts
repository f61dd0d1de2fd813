// The SQL tokenizer: one parser per kind of leading byte (strings in each quote context, numbers, words
// and keywords, operators, comments incl. MySQL's '/*!', variables, pgsql $-strings, Oracle q-strings,
// ...). Each parser fills s.current and returns where the next token starts. It follows libinjection-go
// byte for byte, so fingerprints are the ones Coraza computes.
import { lookupWord } from './sqli-keywords';
import { SqliState } from './sqli-state';
import {
  BACKTICK, DOUBLE_QUOTE, FLAG_QUOTE_DOUBLE, FLAG_QUOTE_SINGLE, FLAG_SQL_ANSI, FLAG_SQL_MYSQL, SINGLE_QUOTE,
  TOKEN_SIZE, T_BACKSLASH, T_BAREWORD, T_COLON, T_COMMENT, T_DOT, T_EVIL, T_FUNCTION, T_NONE, T_NUMBER,
  T_OPERATOR, T_STRING, T_UNKNOWN, T_VARIABLE,
} from './sqli-types';

// Which parser handles a leading byte.
const P_WHITE: u8 = 0, P_OP2: u8 = 1, P_STRING: u8 = 2, P_HASH: u8 = 3, P_MONEY: u8 = 4, P_OP1: u8 = 5,
  P_BYTE: u8 = 6, P_DASH: u8 = 7, P_NUMBER: u8 = 8, P_SLASH: u8 = 9, P_OTHER: u8 = 10, P_VAR: u8 = 11,
  P_WORD: u8 = 12, P_BSTRING: u8 = 13, P_ESTRING: u8 = 14, P_NQSTRING: u8 = 15, P_QSTRING: u8 = 16,
  P_USTRING: u8 = 17, P_XSTRING: u8 = 18, P_BWORD: u8 = 19, P_BACKSLASH: u8 = 20, P_TICK: u8 = 21;

function setAll(t: StaticArray<u8>, chars: string, p: u8): void {
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = p;
}

function buildParserTable(): StaticArray<u8> {
  const t = new StaticArray<u8>(256);
  for (let c = 0; c < 256; c++) t[c] = c <= 32 || c == 127 || c == 160 ? P_WHITE : P_WORD;
  setAll(t, '!&*:<=>|', P_OP2);
  setAll(t, '"\'', P_STRING);
  setAll(t, '#', P_HASH);
  setAll(t, '$', P_MONEY);
  setAll(t, '%+^~', P_OP1);
  setAll(t, '(),;{}', P_BYTE);
  setAll(t, '-', P_DASH);
  setAll(t, '.0123456789', P_NUMBER);
  setAll(t, '/', P_SLASH);
  setAll(t, '?]', P_OTHER);
  setAll(t, '@', P_VAR);
  setAll(t, 'Bb', P_BSTRING);
  setAll(t, 'Ee', P_ESTRING);
  setAll(t, 'Nn', P_NQSTRING);
  setAll(t, 'Qq', P_QSTRING);
  setAll(t, 'Uu', P_USTRING);
  setAll(t, 'Xx', P_XSTRING);
  setAll(t, '[', P_BWORD);
  setAll(t, '\\', P_BACKSLASH);
  setAll(t, '`', P_TICK);
  return t;
}

function byteSet(chars: string): StaticArray<bool> {
  const t = new StaticArray<bool>(256);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = true;
  return t;
}

const PARSERS = buildParserTable();
/** Bytes that end a word. */
const WORD_END = byteSet(' []{}<>:\\?=@!#~+-*/&|^%(),\';\t\n\v\f\r"\xa0\x00');
/** Bytes that end a variable name. */
const VAR_END = byteSet(' <>:\\?=@!#~+-*/&|^%(),\';\t\n\v\f\r\'`"');
const DIGITS = byteSet('0123456789');
const MONEY = byteSet('0123456789.,');
const LETTERS = byteSet('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ');
const HEX = byteSet('0123456789ABCDEFabcdef');
const BINARY = byteSet('01');

/** libinjection's SQL whitespace: C isspace, NUL (Oracle) and Latin-1 NBSP. */
export function isSqlWhite(c: u8): bool {
  return c == 0x20 || (c >= 0x09 && c <= 0x0d) || c == 0xa0 || c == 0;
}

/** Length of the run from `from` of bytes in (or, with `inSet` false, not in) `set`. */
function span(s: SqliState, from: i32, set: StaticArray<bool>, inSet: bool): i32 {
  const input = s.input;
  let i = from < 0 ? 0 : from;
  while (i < input.len && unchecked(set[input.at(i)]) == inSet) i++;
  return i - from;
}

/** Reads the next token into s.current; false when the input is used up. */
export function tokenize(s: SqliState): bool {
  const input = s.input;
  if (input.len == 0) return false;
  s.current.reset();
  // In a quote context the input behaves as if it started with that quote.
  if (s.pos == 0 && (s.flags & (FLAG_QUOTE_SINGLE | FLAG_QUOTE_DOUBLE)) != 0) {
    const delim = (s.flags & FLAG_QUOTE_SINGLE) != 0 ? SINGLE_QUOTE : DOUBLE_QUOTE;
    s.pos = parseStringCore(s, 0, 0, delim);
    s.statsTokens++;
    return true;
  }
  while (s.pos < input.len) {
    s.pos = dispatch(s, input.at(s.pos));
    if (s.current.category != T_NONE) {
      s.statsTokens++;
      return true;
    }
  }
  return false;
}

function dispatch(s: SqliState, c: u8): i32 {
  switch (unchecked(PARSERS[c])) {
    case P_WHITE: return s.pos + 1;
    case P_OP2: return parseOperator2(s);
    case P_STRING: return parseString(s);
    case P_HASH: return parseHash(s);
    case P_MONEY: return parseMoney(s);
    case P_OP1: return parseOperator1(s);
    case P_BYTE: return parseByte(s);
    case P_DASH: return parseDash(s);
    case P_NUMBER: return parseNumber(s);
    case P_SLASH: return parseSlash(s);
    case P_OTHER: return parseOther(s);
    case P_VAR: return parseVar(s);
    case P_BSTRING: return parseBinaryString(s);
    case P_ESTRING: return parseEString(s);
    case P_NQSTRING: return parseNqString(s);
    case P_QSTRING: return parseQStringCore(s, 0);
    case P_USTRING: return parseUString(s);
    case P_XSTRING: return parseHexString(s);
    case P_BWORD: return parseBracketWord(s);
    case P_BACKSLASH: return parseBackslash(s);
    case P_TICK: return parseTick(s);
    default: return parseWord(s);
  }
}

function assign(s: SqliState, category: u8, pos: i32, len: i32): void {
  s.current.assign(category, pos, len, s.input.addr(pos));
}

/**
 * A string whose body starts at pos + offset (offset 1 skips a real opening quote, 0 means the quote is
 * only assumed). Doubled delimiters and backslash-escaped ones do not end it.
 */
function parseStringCore(s: SqliState, pos: i32, offset: i32, delim: u8): i32 {
  const input = s.input;
  const base = pos + offset;
  const t = s.current;
  t.strOpen = offset > 0 ? delim : 0;
  let from = base;
  while (true) {
    const q = input.indexOfByte(delim, from);
    if (q < 0) {
      assign(s, T_STRING, base, input.len - base);
      t.strClose = 0;
      return input.len;
    }
    if (s.escapes.isEscaped(base, q)) {
      from = q + 1;
    } else if (q + 1 < input.len && input.at(q + 1) == delim) {
      from = q + 2;
    } else {
      assign(s, T_STRING, base, q - base);
      t.strClose = delim;
      return q + 1;
    }
  }
}

function parseString(s: SqliState): i32 {
  return parseStringCore(s, s.pos, 1, s.input.at(s.pos));
}

function parseEolComment(s: SqliState): i32 {
  const nl = s.input.indexOfByte(0x0a, s.pos);
  if (nl < 0) {
    assign(s, T_COMMENT, s.pos, s.input.len - s.pos);
    return s.input.len;
  }
  assign(s, T_COMMENT, s.pos, nl - s.pos);
  return nl + 1;
}

function parseOther(s: SqliState): i32 {
  assign(s, T_UNKNOWN, s.pos, 1);
  return s.pos + 1;
}

function parseOperator1(s: SqliState): i32 {
  assign(s, T_OPERATOR, s.pos, 1);
  return s.pos + 1;
}

/** ( ) , ; { } are their own token types. */
function parseByte(s: SqliState): i32 {
  assign(s, s.input.at(s.pos), s.pos, 1);
  return s.pos + 1;
}

/** '#' is an operator in ANSI SQL and an end-of-line comment in MySQL. */
function parseHash(s: SqliState): i32 {
  s.statsCommentHash++;
  if ((s.flags & FLAG_SQL_MYSQL) != 0) {
    s.statsCommentHash++;
    return parseEolComment(s);
  }
  assign(s, T_OPERATOR, s.pos, 1);
  return s.pos + 1;
}

/** '--' + white or end is a comment everywhere; '--x' only in ANSI SQL (MySQL: two minus signs). */
function parseDash(s: SqliState): i32 {
  const input = s.input;
  const p = s.pos;
  const dash2 = p + 1 < input.len && input.at(p + 1) == 0x2d;
  if (dash2 && p + 2 < input.len && isSqlWhite(input.at(p + 2))) return parseEolComment(s);
  if (dash2 && p + 2 == input.len) return parseEolComment(s);
  if (dash2 && (s.flags & FLAG_SQL_ANSI) != 0) {
    s.statsCommentDDX++;
    return parseEolComment(s);
  }
  assign(s, T_OPERATOR, p, 1);
  return p + 1;
}

/** '/' or a C comment; nested '/*' (pgsql) and MySQL's executable '/*!' comments are evil. */
function parseSlash(s: SqliState): i32 {
  const input = s.input;
  const p = s.pos;
  if (p + 1 == input.len || input.at(p + 1) != 0x2a) return parseOperator1(s);
  const close = input.indexOfPair(0x2a, 0x2f, p + 2);
  const len = close < 0 ? input.len - p : close - p + 2;
  let category = T_COMMENT;
  if (close >= 0) {
    // A '/*' inside the comment body (the closing '*' included, as libinjection scans it).
    const inner = input.indexOfPair(0x2f, 0x2a, p + 2);
    if (inner >= 0 && inner + 1 < close + 1) category = T_EVIL;
  }
  if (category != T_EVIL && p + 2 < input.len && input.at(p + 2) == 0x21) category = T_EVIL;
  assign(s, category, p, len);
  return p + len;
}

/** MySQL's '\N' is NULL; any other backslash is its own token. */
function parseBackslash(s: SqliState): i32 {
  if (s.pos + 1 < s.input.len && s.input.at(s.pos + 1) == 0x4e) {
    assign(s, T_NUMBER, s.pos, 2);
    return s.pos + 2;
  }
  assign(s, T_BACKSLASH, s.pos, 1);
  return s.pos + 1;
}

function parseOperator2(s: SqliState): i32 {
  const input = s.input;
  const p = s.pos;
  if (p + 1 >= input.len) return parseOperator1(s);
  if (p + 2 < input.len && input.at(p) == 0x3c && input.at(p + 1) == 0x3d && input.at(p + 2) == 0x3e) {
    assign(s, T_OPERATOR, p, 3); // <=>
    return p + 3;
  }
  const category = lookupWord(input.addr(p), 2);
  if (category != T_NONE) {
    assign(s, category, p, 2);
    return p + 2;
  }
  if (input.at(p) == 0x3a) {
    assign(s, T_COLON, p, 1);
    return p + 1;
  }
  return parseOperator1(s);
}

/** $1,000.00 money; pgsql $$...$$ and $tag$...$tag$ strings; otherwise a lone '$' word. */
function parseMoney(s: SqliState): i32 {
  const input = s.input;
  const p = s.pos;
  const t = s.current;
  if (p + 1 == input.len) {
    assign(s, T_BAREWORD, p, 1);
    return input.len;
  }
  const len = span(s, p + 1, MONEY, true);
  if (len == 0) {
    if (input.at(p + 1) == 0x24) {
      const end = input.indexOfPair(0x24, 0x24, p + 2);
      t.strOpen = 0x24;
      if (end < 0) {
        assign(s, T_STRING, p + 2, input.len - (p + 2));
        t.strClose = 0;
        return input.len;
      }
      assign(s, T_STRING, p + 2, end - (p + 2));
      t.strClose = 0x24;
      return end + 2;
    }
    const xlen = span(s, p + 1, LETTERS, true);
    if (xlen == 0 || p + xlen + 1 == input.len || input.at(p + xlen + 1) != 0x24) {
      assign(s, T_BAREWORD, p, 1);
      return p + 1;
    }
    // $tag$ ... $tag$
    const bodyStart = p + xlen + 2;
    const end = input.indexOfRange(p, xlen + 2, bodyStart);
    t.strOpen = 0x24;
    if (end < 0) {
      assign(s, T_STRING, bodyStart, input.len - bodyStart);
      t.strClose = 0;
      return input.len;
    }
    assign(s, T_STRING, bodyStart, end - bodyStart);
    t.strClose = 0x24;
    return end + xlen + 2;
  }
  if (len == 1 && input.at(p + 1) == 0x2e) return parseWord(s);
  assign(s, T_NUMBER, p, len + 1);
  return p + len + 1;
}

/** A word: keyword, function, type, ... from the table, else a bare word. */
function parseWord(s: SqliState): i32 {
  const p = s.pos;
  const t = s.current;
  const len = span(s, p, WORD_END, false);
  assign(s, T_BAREWORD, p, len);
  // "SELECT.1", "SELECT`col`": a keyword before '.' or '`' is a token of its own.
  const valPtr = changetype<usize>(t.val);
  for (let i = 0; i < t.len; i++) {
    const d = t.at(i);
    if (d == 0x2e || d == BACKTICK) {
      const category = lookupWord(valPtr, i);
      if (category != T_NONE && category != T_BAREWORD) {
        t.reset();
        assign(s, category, p, i);
        return p + i;
      }
    }
  }
  if (len < TOKEN_SIZE) {
    const category = lookupWord(valPtr, len);
    t.category = category == T_NONE ? T_BAREWORD : category;
  }
  return p + len;
}

/** @var, @@var, @`var`, @'var'. */
function parseVar(s: SqliState): i32 {
  const input = s.input;
  const t = s.current;
  let p = s.pos + 1;
  if (p < input.len && input.at(p) == 0x40) {
    p++;
    t.count = 2;
  } else {
    t.count = 1;
  }
  if (p < input.len) {
    const c = input.at(p);
    if (c == BACKTICK) {
      s.pos = p;
      const next = parseTick(s);
      t.category = T_VARIABLE;
      return next;
    }
    if (c == SINGLE_QUOTE || c == DOUBLE_QUOTE) {
      s.pos = p;
      const next = parseString(s);
      t.category = T_VARIABLE;
      return next;
    }
  }
  const len = span(s, p, VAR_END, false);
  assign(s, T_VARIABLE, p, len);
  return p + len;
}

function skipDigits(s: SqliState, p: i32): i32 {
  return p + span(s, p, DIGITS, true);
}

/** Decimal, 0x/0b, exponent and Oracle's d/f suffix numbers; a lone '.' is a dot. */
function parseNumber(s: SqliState): i32 {
  const input = s.input;
  const start = s.pos;
  if (input.at(start) == 0x30 && start + 1 < input.len) {
    const x = input.at(start + 1);
    const digits = x == 0x58 || x == 0x78 ? HEX : x == 0x42 || x == 0x62 ? BINARY : null;
    if (digits != null) {
      const len = span(s, start + 2, digits, true);
      if (len == 0) {
        assign(s, T_BAREWORD, start, 2);
        return start + 2;
      }
      assign(s, T_NUMBER, start, 2 + len);
      return start + 2 + len;
    }
  }
  let p = skipDigits(s, start);
  if (p < input.len && input.at(p) == 0x2e) {
    p = skipDigits(s, p + 1);
    if (p - start == 1) {
      assign(s, T_DOT, start, 1);
      return p;
    }
  }
  let haveE = false;
  let haveExp = false;
  if (p < input.len) {
    const e = input.at(p);
    if (e == 0x45 || e == 0x65) {
      haveE = true;
      p++;
      if (p < input.len && (input.at(p) == 0x2b || input.at(p) == 0x2d)) p++;
      const q = skipDigits(s, p);
      haveExp = q > p;
      p = q;
    }
  }
  if (p < input.len) {
    const c = input.at(p);
    if (c == 0x64 || c == 0x44 || c == 0x66 || c == 0x46) {
      if (p + 1 == input.len) p++;
      else {
        const n = input.at(p + 1);
        if (isSqlWhite(n) || n == 0x3b || n == 0x75 || n == 0x55) p++;
      }
    }
  }
  // "1.e" without exponent digits is ignored, as MySQL ignores it ("1.e(1)" is "(1)").
  if (!(haveE && !haveExp)) assign(s, T_NUMBER, start, p - start);
  return p;
}

/** MySQL `quoted` names: a function name stays a function, anything else is a bare word. */
function parseTick(s: SqliState): i32 {
  const next = parseStringCore(s, s.pos, 1, BACKTICK);
  const t = s.current;
  const category = lookupWord(changetype<usize>(t.val), t.len);
  t.category = category == T_FUNCTION ? T_FUNCTION : T_BAREWORD;
  return next;
}

/** U&'...' unicode strings. */
function parseUString(s: SqliState): i32 {
  const input = s.input;
  const p = s.pos;
  if (p + 2 < input.len && input.at(p + 1) == 0x26 && input.at(p + 2) == SINGLE_QUOTE) {
    s.pos += 2;
    const next = parseString(s);
    const t = s.current;
    t.strOpen = 0x75;
    if (t.strClose == SINGLE_QUOTE) t.strClose = 0x75;
    return next;
  }
  return parseWord(s);
}

/** Oracle q'[...]' strings (offset 1 for nq'...'). */
function parseQStringCore(s: SqliState, offset: i32): i32 {
  const input = s.input;
  const p = s.pos + offset;
  if (p >= input.len) return parseWord(s);
  const q = input.at(p);
  if ((q != 0x71 && q != 0x51) || p + 2 >= input.len || input.at(p + 1) != SINGLE_QUOTE) return parseWord(s);
  let close = input.at(p + 2);
  if (close < 33) return parseWord(s);
  if (close == 0x28) close = 0x29;
  else if (close == 0x5b) close = 0x5d;
  else if (close == 0x7b) close = 0x7d;
  else if (close == 0x3c) close = 0x3e;
  const end = input.indexOfPair(close, SINGLE_QUOTE, p + 3);
  const t = s.current;
  t.strOpen = 0x71;
  if (end < 0) {
    assign(s, T_STRING, p + 3, input.len - p - 3);
    t.strClose = 0;
    return input.len;
  }
  assign(s, T_STRING, p + 3, end - (p + 3));
  t.strClose = 0x71;
  return end + 2;
}

/** N'...' national strings, or nq'...'. */
function parseNqString(s: SqliState): i32 {
  if (s.pos + 2 < s.input.len && s.input.at(s.pos + 1) == SINGLE_QUOTE) return parseEString(s);
  return parseQStringCore(s, 1);
}

/** E'...' (pgsql escaped) strings. */
function parseEString(s: SqliState): i32 {
  if (s.pos + 2 >= s.input.len || s.input.at(s.pos + 1) != SINGLE_QUOTE) return parseWord(s);
  return parseStringCore(s, s.pos, 2, SINGLE_QUOTE);
}

/** X'hex' and B'bits' literals are numbers. */
function parseQuotedDigits(s: SqliState, digits: StaticArray<bool>): i32 {
  const input = s.input;
  const p = s.pos;
  if (p + 2 >= input.len || input.at(p + 1) != SINGLE_QUOTE) return parseWord(s);
  const len = span(s, p + 2, digits, true);
  if (p + 2 + len >= input.len || input.at(p + 2 + len) != SINGLE_QUOTE) return parseWord(s);
  assign(s, T_NUMBER, p, len + 3);
  return p + len + 3;
}

function parseHexString(s: SqliState): i32 {
  return parseQuotedDigits(s, HEX);
}

function parseBinaryString(s: SqliState): i32 {
  return parseQuotedDigits(s, BINARY);
}

/** SQL Server [bracketed names]. */
function parseBracketWord(s: SqliState): i32 {
  const end = s.input.indexOfByte(0x5d, s.pos);
  if (end < 0) {
    assign(s, T_BAREWORD, s.pos, s.input.len - s.pos);
    return s.input.len;
  }
  assign(s, T_BAREWORD, s.pos, end - s.pos + 1);
  return end + 1;
}
