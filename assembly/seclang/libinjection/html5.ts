// libinjection's HTML5 tokenizer: a cut-down version of the HTML5 spec's tokenizer states (data, tags,
// attributes with each quoting, comments incl. IE's '<%' and '<!--', CDATA, doctype), which may also
// start inside an attribute value. Tokens are positions in the input; nothing is allocated.
import { Input } from './input';

export const H5_DATA_TEXT = 0;
export const H5_TAG_NAME_OPEN = 1;
export const H5_TAG_NAME_CLOSE = 2;
export const H5_TAG_NAME_SELF_CLOSE = 3;
export const H5_TAG_DATA = 4;
export const H5_TAG_CLOSE = 5;
export const H5_ATTR_NAME = 6;
export const H5_ATTR_VALUE = 7;
export const H5_TAG_COMMENT = 8;
export const H5_DOCTYPE = 9;

/** Where tokenizing starts: in text, or inside an attribute value (unquoted, ', ", `). */
export const CTX_DATA = 0;
export const CTX_VALUE_NO_QUOTE = 1;
export const CTX_VALUE_SINGLE_QUOTE = 2;
export const CTX_VALUE_DOUBLE_QUOTE = 3;
export const CTX_VALUE_BACK_QUOTE = 4;

// Tokenizer states kept between tokens.
const S_EOF = 0, S_DATA = 1, S_TAG_OPEN = 2, S_BEFORE_ATTR_NAME = 3, S_SELF_CLOSING = 4,
  S_TAG_NAME_CLOSE = 5, S_AFTER_ATTR_NAME = 6, S_BEFORE_ATTR_VALUE = 7, S_AFTER_ATTR_VALUE_QUOTED = 8,
  S_VALUE_SINGLE = 9, S_VALUE_DOUBLE = 10, S_VALUE_BACK = 11;

const EOF: i32 = -1;
const LT: u8 = 0x3c, GT: u8 = 0x3e, SLASH: u8 = 0x2f, BANG: u8 = 0x21, EQUALS: u8 = 0x3d, QUESTION: u8 = 0x3f,
  PERCENT: u8 = 0x25, DASH: u8 = 0x2d, RIGHT_BRACKET: u8 = 0x5d;

/** HTML5 whitespace (no NUL, unlike skipWhite below). */
function isH5White(c: u8): bool {
  return c == 0x0a || c == 0x09 || c == 0x0b || c == 0x0c || c == 0x0d || c == 0x20;
}

function isAsciiLetter(c: u8): bool {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

export class Html5 {
  input: Input = new Input();
  pos: i32 = 0;
  isClose: bool = false;
  state: i32 = S_EOF;
  tokenStart: i32 = 0;
  tokenLen: i32 = 0;
  tokenType: i32 = H5_DATA_TEXT;

  init(ptr: usize, len: i32, context: i32): void {
    this.input.set(ptr, len);
    this.pos = 0;
    this.isClose = false;
    this.tokenStart = 0;
    this.tokenLen = 0;
    this.tokenType = H5_DATA_TEXT;
    this.state = context == CTX_DATA ? S_DATA
      : context == CTX_VALUE_NO_QUOTE ? S_BEFORE_ATTR_NAME
      : context == CTX_VALUE_SINGLE_QUOTE ? S_VALUE_SINGLE
      : context == CTX_VALUE_DOUBLE_QUOTE ? S_VALUE_DOUBLE
      : S_VALUE_BACK;
  }

  /** Reads the next token; false at the end. */
  next(): bool {
    switch (this.state) {
      case S_DATA: return this.data();
      case S_TAG_OPEN: return this.tagOpen();
      case S_BEFORE_ATTR_NAME: return this.beforeAttributeName();
      case S_SELF_CLOSING: return this.selfClosingStartTag();
      case S_TAG_NAME_CLOSE: return this.tagNameClose();
      case S_AFTER_ATTR_NAME: return this.afterAttributeName();
      case S_BEFORE_ATTR_VALUE: return this.beforeAttributeValue();
      case S_AFTER_ATTR_VALUE_QUOTED: return this.afterAttributeValueQuoted();
      case S_VALUE_SINGLE: return this.attributeValueQuoted(0x27);
      case S_VALUE_DOUBLE: return this.attributeValueQuoted(0x22);
      case S_VALUE_BACK: return this.attributeValueQuoted(0x60);
      default: return false;
    }
  }

  /** Token byte i (0 past the token or the input). */
  tokenAt(i: i32): u8 {
    return i < this.tokenLen ? this.input.at(this.tokenStart + i) : 0;
  }

  private emit(type: i32, start: i32, len: i32, state: i32): bool {
    this.tokenType = type;
    this.tokenStart = start;
    this.tokenLen = len;
    this.state = state;
    return true;
  }

  /** Skips whitespace and NULs; the byte there, or EOF. */
  private skipWhite(): i32 {
    const input = this.input;
    while (this.pos < input.len) {
      const c = input.at(this.pos);
      if (c == 0 || c == 0x20 || (c >= 0x09 && c <= 0x0d)) this.pos++;
      else return c;
    }
    return EOF;
  }

  private data(): bool {
    const input = this.input;
    const lt = input.indexOfByte(LT, this.pos);
    if (lt < 0) {
      this.emit(H5_DATA_TEXT, this.pos, input.len - this.pos, S_EOF);
      return this.tokenLen != 0;
    }
    this.emit(H5_DATA_TEXT, this.pos, lt - this.pos, S_TAG_OPEN);
    this.pos = lt + 1;
    if (this.tokenLen == 0) return this.tagOpen();
    return true;
  }

  private tagOpen(): bool {
    const input = this.input;
    if (this.pos >= input.len) return false;
    const c = input.at(this.pos);
    if (c == BANG) {
      this.pos++;
      return this.markupDeclarationOpen();
    }
    if (c == SLASH) {
      this.pos++;
      this.isClose = true;
      return this.endTagOpen();
    }
    if (c == QUESTION) {
      this.pos++;
      return this.bogusComment();
    }
    if (c == PERCENT) {
      // Not in the spec: '<% ... %>' comments of IE <= 9 and old Safari.
      this.pos++;
      return this.bogusComment2();
    }
    if (isAsciiLetter(c) || c == 0) return this.tagName(); // IE ignores NULs
    if (this.pos == 0) return this.data();
    return this.emit(H5_DATA_TEXT, this.pos - 1, 1, S_DATA);
  }

  private endTagOpen(): bool {
    const input = this.input;
    if (this.pos >= input.len) return false;
    const c = input.at(this.pos);
    if (c == GT) return this.data();
    if (isAsciiLetter(c)) return this.tagName();
    this.isClose = false;
    return this.bogusComment();
  }

  private tagName(): bool {
    const input = this.input;
    let p = this.pos;
    while (p < input.len) {
      const c = input.at(p);
      if (c == 0) {
        p++; // NULs are allowed (and ignored by old browsers) in tag names
      } else if (isH5White(c)) {
        this.emit(H5_TAG_NAME_OPEN, this.pos, p - this.pos, S_BEFORE_ATTR_NAME);
        this.pos = p + 1;
        return true;
      } else if (c == SLASH) {
        this.emit(H5_TAG_NAME_OPEN, this.pos, p - this.pos, S_SELF_CLOSING);
        this.pos = p + 1;
        return true;
      } else if (c == GT) {
        if (this.isClose) {
          this.emit(H5_TAG_CLOSE, this.pos, p - this.pos, S_DATA);
          this.pos = p + 1;
          this.isClose = false;
        } else {
          this.emit(H5_TAG_NAME_OPEN, this.pos, p - this.pos, S_TAG_NAME_CLOSE);
          this.pos = p;
        }
        return true;
      } else {
        p++;
      }
    }
    return this.emit(H5_TAG_NAME_OPEN, this.pos, input.len - this.pos, S_EOF);
  }

  private tagNameClose(): bool {
    this.isClose = false;
    this.emit(H5_TAG_NAME_CLOSE, this.pos, 1, S_DATA);
    this.pos++;
    if (this.pos >= this.input.len) this.state = S_EOF;
    return true;
  }

  private selfClosingStartTag(): bool {
    const input = this.input;
    if (this.pos >= input.len) return false;
    if (input.at(this.pos) == GT) {
      this.emit(H5_TAG_NAME_SELF_CLOSE, this.pos - 1, 2, S_DATA);
      this.pos++;
      return true;
    }
    return this.beforeAttributeName();
  }

  private beforeAttributeName(): bool {
    const input = this.input;
    // A loop, not mutual recursion with selfClosingStartTag: '/////...' would otherwise nest deeply.
    while (true) {
      const c = this.skipWhite();
      if (c == EOF) return false;
      if (c == SLASH) {
        this.pos++;
        if (this.pos < input.len && input.at(this.pos) != GT) continue;
        return this.selfClosingStartTag();
      }
      if (c == GT) {
        this.emit(H5_TAG_NAME_CLOSE, this.pos, 1, S_DATA);
        this.pos++;
        return true;
      }
      return this.attributeName();
    }
  }

  private attributeName(): bool {
    const input = this.input;
    let p = this.pos + 1;
    while (p < input.len) {
      const c = input.at(p);
      if (isH5White(c)) {
        this.emit(H5_ATTR_NAME, this.pos, p - this.pos, S_AFTER_ATTR_NAME);
        this.pos = p + 1;
        return true;
      }
      if (c == SLASH) {
        this.emit(H5_ATTR_NAME, this.pos, p - this.pos, S_SELF_CLOSING);
        this.pos = p + 1;
        return true;
      }
      if (c == EQUALS) {
        this.emit(H5_ATTR_NAME, this.pos, p - this.pos, S_BEFORE_ATTR_VALUE);
        this.pos = p + 1;
        return true;
      }
      if (c == GT) {
        this.emit(H5_ATTR_NAME, this.pos, p - this.pos, S_TAG_NAME_CLOSE);
        this.pos = p;
        return true;
      }
      p++;
    }
    this.emit(H5_ATTR_NAME, this.pos, input.len - this.pos, S_EOF);
    this.pos = input.len;
    return true;
  }

  private afterAttributeName(): bool {
    const c = this.skipWhite();
    if (c == EOF) return false;
    if (c == SLASH) {
      this.pos++;
      return this.selfClosingStartTag();
    }
    if (c == EQUALS) {
      this.pos++;
      return this.beforeAttributeValue();
    }
    if (c == GT) return this.tagNameClose();
    return this.attributeName();
  }

  private beforeAttributeValue(): bool {
    const c = this.skipWhite();
    if (c == EOF) {
      this.state = S_EOF;
      return false;
    }
    if (c == 0x22) return this.attributeValueQuoted(0x22);
    if (c == 0x27) return this.attributeValueQuoted(0x27);
    if (c == 0x60) return this.attributeValueQuoted(0x60); // IE
    return this.attributeValueNoQuote();
  }

  private attributeValueNoQuote(): bool {
    const input = this.input;
    let p = this.pos;
    while (p < input.len) {
      const c = input.at(p);
      if (isH5White(c)) {
        this.emit(H5_ATTR_VALUE, this.pos, p - this.pos, S_BEFORE_ATTR_NAME);
        this.pos = p + 1;
        return true;
      }
      if (c == GT) {
        this.emit(H5_ATTR_VALUE, this.pos, p - this.pos, S_TAG_NAME_CLOSE);
        this.pos = p;
        return true;
      }
      p++;
    }
    return this.emit(H5_ATTR_VALUE, this.pos, input.len - this.pos, S_EOF);
  }

  private attributeValueQuoted(quote: u8): bool {
    const input = this.input;
    // At position 0 the input started inside the value: there is no opening quote to skip.
    if (this.pos > 0) this.pos++;
    const end = input.indexOfByte(quote, this.pos);
    if (end < 0) return this.emit(H5_ATTR_VALUE, this.pos, input.len - this.pos, S_EOF);
    this.emit(H5_ATTR_VALUE, this.pos, end - this.pos, S_AFTER_ATTR_VALUE_QUOTED);
    this.pos = end + 1;
    return true;
  }

  private afterAttributeValueQuoted(): bool {
    const input = this.input;
    if (this.pos >= input.len) return false;
    const c = input.at(this.pos);
    if (isH5White(c)) {
      this.pos++;
      return this.beforeAttributeName();
    }
    if (c == SLASH) {
      this.pos++;
      return this.selfClosingStartTag();
    }
    if (c == GT) {
      this.emit(H5_TAG_NAME_CLOSE, this.pos, 1, S_DATA);
      this.pos++;
      return true;
    }
    return this.beforeAttributeName();
  }

  private markupDeclarationOpen(): bool {
    const input = this.input;
    const left = input.len - this.pos;
    if (left >= 7 && this.matchesFold(this.pos, 'doctype')) return this.doctype();
    if (left >= 7 && this.matches(this.pos, '[CDATA[')) {
      this.pos += 7;
      return this.cdata();
    }
    if (left >= 2 && input.at(this.pos) == DASH && input.at(this.pos + 1) == DASH) {
      this.pos += 2;
      return this.comment();
    }
    return this.bogusComment();
  }

  private matches(at: i32, text: string): bool {
    for (let i = 0; i < text.length; i++) if (<i32>this.input.at(at + i) != text.charCodeAt(i)) return false;
    return true;
  }

  /** ASCII case-insensitive match against lower-case `text`. */
  private matchesFold(at: i32, text: string): bool {
    for (let i = 0; i < text.length; i++) {
      let c = <i32>this.input.at(at + i);
      if (c >= 0x41 && c <= 0x5a) c += 0x20;
      if (c != text.charCodeAt(i)) return false;
    }
    return true;
  }

  private doctype(): bool {
    const input = this.input;
    const gt = input.indexOfByte(GT, this.pos);
    if (gt < 0) return this.emit(H5_DOCTYPE, this.pos, input.len - this.pos, S_EOF);
    this.emit(H5_DOCTYPE, this.pos, gt - this.pos, S_DATA);
    this.pos = gt + 1;
    return true;
  }

  private cdata(): bool {
    const input = this.input;
    let p = this.pos;
    while (true) {
      const rb = input.indexOfByte(RIGHT_BRACKET, p);
      if (rb < 0 || rb + 3 > input.len) return this.emit(H5_DATA_TEXT, this.pos, input.len - this.pos, S_EOF);
      if (input.at(rb + 1) == RIGHT_BRACKET && input.at(rb + 2) == GT) {
        this.emit(H5_DATA_TEXT, this.pos, rb - this.pos, S_DATA);
        this.pos = rb + 3;
        return true;
      }
      p = rb + 1;
    }
  }

  private bogusComment(): bool {
    const input = this.input;
    const gt = input.indexOfByte(GT, this.pos);
    if (gt < 0) {
      this.emit(H5_TAG_COMMENT, this.pos, input.len - this.pos, S_EOF);
      this.pos = input.len;
    } else {
      this.emit(H5_TAG_COMMENT, this.pos, gt - this.pos, S_DATA);
      this.pos = gt + 1;
    }
    return true;
  }

  /** '<% ... %>'. As in libinjection-go, the '>' test after a '%' is made relative to the comment's start. */
  private bogusComment2(): bool {
    const input = this.input;
    let p = this.pos;
    while (true) {
      const pct = input.indexOfByte(PERCENT, p);
      if (pct < 0 || pct + 1 >= input.len) {
        this.emit(H5_TAG_COMMENT, this.pos, input.len - this.pos, S_EOF);
        this.pos = input.len;
        return true;
      }
      const index = pct - p;
      if (input.at(this.pos + index + 1) != GT) {
        p = pct + 1;
        continue;
      }
      this.emit(H5_TAG_COMMENT, this.pos, index, S_DATA);
      this.pos = pct + 2;
      return true;
    }
  }

  /** '<!-- ... -->' (also ended by '--!>', by '-' NULs '->' and by the end of the input). */
  private comment(): bool {
    const input = this.input;
    let p = this.pos;
    while (true) {
      const dash = input.indexOfByte(DASH, p);
      if (dash < 0 || dash + 3 > input.len) return this.emit(H5_TAG_COMMENT, this.pos, input.len - this.pos, S_EOF);
      let q = dash + 1;
      while (q < input.len && input.at(q) == 0) q++;
      if (q == input.len) return this.emit(H5_TAG_COMMENT, this.pos, input.len - this.pos, S_EOF);
      const c = input.at(q);
      if (c != DASH && c != BANG) {
        p = dash + 1;
        continue;
      }
      q++;
      if (q == input.len) return this.emit(H5_TAG_COMMENT, this.pos, input.len - this.pos, S_EOF);
      if (input.at(q) != GT) {
        p = dash + 1;
        continue;
      }
      this.emit(H5_TAG_COMMENT, this.pos, dash - this.pos, S_DATA);
      this.pos = q + 1;
      return true;
    }
  }
}
