// Token folding: reads tokens and collapses the ones that do not change what an injection does
// ("1+1" -> "1", "UNION ALL" -> one keyword, unary operators, casts, ...), keeping at most MAX_TOKENS.
// The rules and their order are libinjection's; the result is the number of tokens in s.tokens.
import { lookupWord } from './sqli-keywords';
import { tokenize } from './sqli-lexer';
import { SqliState } from './sqli-state';
import { Token } from './sqli-token';
import {
  MAX_TOKENS, TOKEN_SIZE, T_BACKSLASH, T_BAREWORD, T_COLLATE, T_COMMA, T_COMMENT, T_DOT, T_EVIL,
  T_EXPRESSION, T_FUNCTION, T_GROUP, T_KEYWORD, T_LEFT_BRACE, T_LEFT_PAREN, T_LOGIC_OPERATOR, T_NONE,
  T_NUMBER, T_OPERATOR, T_RIGHT_BRACE, T_RIGHT_PAREN, T_SEMICOLON, T_SQLTYPE, T_STRING, T_TSQL, T_UNION,
  T_VARIABLE,
} from './sqli-types';

const mergeBuf = new StaticArray<u8>(TOKEN_SIZE + 1);

function isMergeable(c: u8, allowLogic: bool): bool {
  return c == T_KEYWORD || c == T_BAREWORD || c == T_OPERATOR || c == T_UNION || c == T_FUNCTION ||
    c == T_EXPRESSION || c == T_TSQL || c == T_SQLTYPE || (allowLogic && c == T_LOGIC_OPERATOR);
}

/** Two words that form a known phrase ("UNION" "ALL", "NOT" "IN", ...) become one token in `a`. */
function merge(a: Token, b: Token): bool {
  if (!isMergeable(a.category, false) || !isMergeable(b.category, true)) return false;
  const n = a.len + b.len + 1;
  if (n > TOKEN_SIZE) return false;
  const buf = changetype<usize>(mergeBuf);
  memory.copy(buf, changetype<usize>(a.val), <usize>a.len);
  store<u8>(buf + <usize>a.len, 0x20);
  memory.copy(buf + <usize>(a.len + 1), changetype<usize>(b.val), <usize>b.len);
  const category = lookupWord(buf, n);
  if (category == T_NONE) return false;
  a.assign(category, a.pos, n, buf);
  return true;
}

function isNameLikeFunction(t: Token): bool {
  // TSQL/MySQL functions common enough as column names: functions only when a '(' follows.
  return t.equalsUpper('USER_ID') || t.equalsUpper('USER_NAME') || t.equalsUpper('DATABASE') ||
    t.equalsUpper('PASSWORD') || t.equalsUpper('USER') || t.equalsUpper('CURRENT_USER') ||
    t.equalsUpper('CURRENT_DATE') || t.equalsUpper('CURRENT_TIME') || t.equalsUpper('CURRENT_TIMESTAMP') ||
    t.equalsUpper('LOCALTIME') || t.equalsUpper('LOCALTIMESTAMP');
}

function hasUnderscore(t: Token): bool {
  for (let i = 0; i < t.len; i++) if (t.at(i) == 0x5f) return true;
  return false;
}

/** Five-token shapes that are ordinary expressions; folding restarts after them. */
function isHarmlessFive(s: SqliState): bool {
  const c0 = s.token(0).category, c1 = s.token(1).category, c2 = s.token(2).category;
  const c3 = s.token(3).category, c4 = s.token(4).category;
  return (c0 == T_NUMBER && (c1 == T_OPERATOR || c1 == T_COMMA) && c2 == T_LEFT_PAREN && c3 == T_NUMBER &&
    c4 == T_RIGHT_PAREN) ||
    (c0 == T_BAREWORD && c1 == T_OPERATOR && c2 == T_LEFT_PAREN && (c3 == T_BAREWORD || c3 == T_NUMBER) &&
      c4 == T_RIGHT_PAREN) ||
    (c0 == T_NUMBER && c1 == T_RIGHT_PAREN && c2 == T_COMMA && c3 == T_LEFT_PAREN && c4 == T_NUMBER) ||
    (c0 == T_BAREWORD && c1 == T_RIGHT_PAREN && c2 == T_OPERATOR && c3 == T_LEFT_PAREN && c4 == T_BAREWORD);
}

export function fold(s: SqliState): i32 {
  let pos = 0; // where the next token goes
  let left = 0; // tokens before this index are final
  let more = true;
  const lastComment = s.lastComment;
  lastComment.reset();

  // Skip leading comments, '(', SQL types and unary operators.
  s.current = s.token(0);
  while (more) {
    more = tokenize(s);
    const c = s.current.category;
    if (!(c == T_COMMENT || c == T_LEFT_PAREN || c == T_SQLTYPE || s.current.isUnaryOp())) break;
  }
  if (!more) return 0;
  pos++;

  while (true) {
    if (pos >= MAX_TOKENS && isHarmlessFive(s)) {
      if (pos > MAX_TOKENS) {
        s.token(1).copyFrom(s.token(MAX_TOKENS));
        left = 1;
        pos = 2;
      } else {
        pos = 1;
        left = 0;
      }
    }
    if (!more || left >= MAX_TOKENS) {
      left = pos;
      break;
    }

    // Two tokens.
    while (more && pos <= MAX_TOKENS && pos - left < 2) {
      s.current = s.token(pos);
      more = tokenize(s);
      if (more) {
        if (s.current.category == T_COMMENT) lastComment.copyFrom(s.current);
        else {
          lastComment.category = T_NONE;
          pos++;
        }
      }
    }
    if (pos - left < 2) {
      left = pos;
      continue;
    }
    const a = s.token(left);
    const b = s.token(left + 1);
    const ca = a.category;
    const cb = b.category;
    if (ca == T_STRING && cb == T_STRING) {
      // "foo" "bar" is valid SQL: the second string adds nothing.
      pos--;
      s.statsFolds++;
      continue;
    }
    if (ca == T_SEMICOLON && cb == T_SEMICOLON) {
      pos--;
      s.statsFolds++;
      continue;
    }
    if ((ca == T_OPERATOR || ca == T_LOGIC_OPERATOR) && (b.isUnaryOp() || cb == T_SQLTYPE)) {
      pos--;
      s.statsFolds++;
      left = 0;
      continue;
    }
    if (ca == T_LEFT_PAREN && b.isUnaryOp()) {
      pos--;
      s.statsFolds++;
      if (left > 0) left--;
      continue;
    }
    if (merge(a, b)) {
      pos--;
      s.statsFolds++;
      if (left > 0) left--;
      continue;
    }
    if (ca == T_SEMICOLON && cb == T_FUNCTION && (b.at(0) == 0x49 || b.at(0) == 0x69) &&
      (b.at(1) == 0x46 || b.at(1) == 0x66)) {
      // IF after ';' is Transact-SQL control flow, not the function.
      b.category = T_TSQL;
      continue;
    }
    if ((ca == T_BAREWORD || ca == T_VARIABLE) && cb == T_LEFT_PAREN && isNameLikeFunction(a)) {
      a.category = T_FUNCTION;
      continue;
    }
    if (ca == T_KEYWORD && (a.equalsUpper('IN') || a.equalsUpper('NOT IN'))) {
      // "IN (" is an operator; IN elsewhere (IN BOOLEAN MODE) is nothing special.
      a.category = cb == T_LEFT_PAREN ? T_OPERATOR : T_BAREWORD;
      continue;
    }
    if (ca == T_OPERATOR && (a.equalsUpper('LIKE') || a.equalsUpper('NOT LIKE'))) {
      if (cb == T_LEFT_PAREN) a.category = T_FUNCTION; // LIKE(...) is a function
      // falls through to the three-token rules
    } else if (ca == T_SQLTYPE && (cb == T_BAREWORD || cb == T_NUMBER || cb == T_SQLTYPE ||
      cb == T_LEFT_PAREN || cb == T_FUNCTION || cb == T_VARIABLE || cb == T_STRING)) {
      a.copyFrom(b);
      pos--;
      s.statsFolds++;
      left = 0;
      continue;
    } else if (ca == T_COLLATE && cb == T_BAREWORD) {
      // Collation names with '_' are types.
      if (hasUnderscore(b)) {
        b.category = T_SQLTYPE;
        left = 0;
      }
    } else if (ca == T_BACKSLASH) {
      // TSQL reads '\%1' as '0 % 1' and '\1' as '1'.
      if (b.isArithmeticOp()) a.category = T_NUMBER;
      else {
        a.copyFrom(b);
        pos--;
        s.statsFolds++;
      }
      left = 0;
      continue;
    } else if (ca == T_LEFT_PAREN && cb == T_LEFT_PAREN) {
      pos--;
      left = 0;
      s.statsFolds++;
      continue;
    } else if (ca == T_RIGHT_PAREN && cb == T_RIGHT_PAREN) {
      pos--;
      left = 0;
      s.statsFolds++;
      continue;
    } else if (ca == T_LEFT_BRACE && cb == T_BAREWORD) {
      // MySQL's "{ ``.``.id }" is too odd to parse: evil. "{foo expr}" is expr.
      if (b.len == 0) {
        b.category = T_EVIL;
        return left + 2;
      }
      left = 0;
      pos -= 2;
      s.statsFolds += 2;
      continue;
    } else if (cb == T_RIGHT_BRACE) {
      pos--;
      left = 0;
      s.statsFolds++;
      continue;
    }

    // Three tokens.
    while (more && pos <= MAX_TOKENS && pos - left < 3) {
      s.current = s.token(pos);
      more = tokenize(s);
      if (more) {
        if (s.current.category == T_COMMENT) lastComment.copyFrom(s.current);
        else {
          lastComment.category = T_NONE;
          pos++;
        }
      }
    }
    if (pos - left < 3) {
      left = pos;
      continue;
    }
    if (foldThree(s, left)) {
      const step = foldThreeStep;
      pos -= step;
      left = 0;
      continue;
    }
    left++;
  }

  // With room left, a trailing comment comes back as the last token.
  if (left < MAX_TOKENS && lastComment.category == T_COMMENT) {
    s.token(left).copyFrom(lastComment);
    left++;
  }
  if (left > MAX_TOKENS) left = MAX_TOKENS;
  return left;
}

/** How many tokens the last successful foldThree removed. */
let foldThreeStep: i32 = 0;

/** The three-token rules on tokens left..left+2; true when tokens were removed (see foldThreeStep). */
function foldThree(s: SqliState, left: i32): bool {
  const a = s.token(left);
  const b = s.token(left + 1);
  const c = s.token(left + 2);
  const ca = a.category, cb = b.category, cc = c.category;
  if (ca == T_NUMBER && cb == T_OPERATOR && cc == T_NUMBER) return removed(2);
  if (ca == T_OPERATOR && cb != T_LEFT_PAREN && cc == T_OPERATOR) return removed(2);
  if (ca == T_LOGIC_OPERATOR && cc == T_LOGIC_OPERATOR) return removed(2);
  if (ca == T_VARIABLE && cb == T_OPERATOR && (cc == T_VARIABLE || cc == T_NUMBER || cc == T_BAREWORD)) {
    return removed(2);
  }
  if ((ca == T_BAREWORD || ca == T_NUMBER) && cb == T_OPERATOR && (cc == T_NUMBER || cc == T_BAREWORD)) {
    return removed(2);
  }
  if ((ca == T_BAREWORD || ca == T_NUMBER || ca == T_VARIABLE || ca == T_STRING) && cb == T_OPERATOR &&
    b.len == 2 && b.at(0) == 0x3a && b.at(1) == 0x3a && cc == T_SQLTYPE) {
    s.statsFolds += 2; // x::type
    return removed(2);
  }
  if ((ca == T_BAREWORD || ca == T_NUMBER || ca == T_STRING || ca == T_VARIABLE) && cb == T_COMMA &&
    (cc == T_NUMBER || cc == T_BAREWORD || cc == T_STRING || cc == T_VARIABLE)) {
    return removed(2);
  }
  if ((ca == T_EXPRESSION || ca == T_GROUP || ca == T_COMMA) && b.isUnaryOp() && cc == T_LEFT_PAREN) {
    b.copyFrom(c); // SELECT + (  ->  SELECT (
    return removed(1);
  }
  if ((ca == T_KEYWORD || ca == T_EXPRESSION || ca == T_GROUP) && b.isUnaryOp() &&
    (cc == T_NUMBER || cc == T_BAREWORD || cc == T_VARIABLE || cc == T_STRING || cc == T_FUNCTION)) {
    b.copyFrom(c); // select -1  ->  select 1
    return removed(1);
  }
  if (ca == T_COMMA && b.isUnaryOp() && (cc == T_NUMBER || cc == T_BAREWORD || cc == T_VARIABLE || cc == T_STRING)) {
    b.copyFrom(c); // ", -1" -> ",1", then back up one more token: "1, -1" -> "1"
    return removed(3);
  }
  if (ca == T_COMMA && b.isUnaryOp() && cc == T_FUNCTION) {
    b.copyFrom(c);
    return removed(1);
  }
  if (ca == T_BAREWORD && cb == T_DOT && cc == T_BAREWORD) return removed(2); // db.table
  if (ca == T_EXPRESSION && cb == T_DOT && cc == T_BAREWORD) {
    b.copyFrom(c); // select . `foo` -> select `foo`
    return removed(1);
  }
  if (ca == T_FUNCTION && cb == T_LEFT_PAREN && cc != T_RIGHT_PAREN) {
    // USER(foo) is not the zero-argument USER() function.
    if (a.equalsUpper('USER')) a.category = T_BAREWORD;
  }
  return false;
}

function removed(n: i32): bool {
  foldThreeStep = n;
  return true;
}
