// One SQL token: its type, where it starts, and a copy of (at most 31 bytes of) its value. Tokens live in a
// fixed array reused across calls, so values are copied into an inline buffer instead of allocated.
import { TOKEN_SIZE, T_NONE, T_OPERATOR } from './sqli-types';

export class Token {
  category: u8 = T_NONE;
  strOpen: u8 = 0;
  strClose: u8 = 0;
  /** Position of the token in the input. */
  pos: i32 = 0;
  /** Length of `val` (the value is cut at TOKEN_SIZE - 1 bytes). */
  len: i32 = 0;
  /** For variables: how many '@' opened it. */
  count: i32 = 0;
  val: StaticArray<u8> = new StaticArray<u8>(TOKEN_SIZE);

  reset(): void {
    this.category = T_NONE;
    this.strOpen = 0;
    this.strClose = 0;
    this.pos = 0;
    this.len = 0;
    this.count = 0;
  }

  /** Sets type and position, and copies min(length, TOKEN_SIZE - 1) bytes of the value from `src`. */
  assign(category: u8, pos: i32, length: i32, src: usize): void {
    const n = length < TOKEN_SIZE ? length : TOKEN_SIZE - 1;
    this.category = category;
    this.pos = pos;
    this.len = n > 0 ? n : 0;
    if (this.len > 0) memory.copy(changetype<usize>(this.val), src, <usize>this.len);
  }

  copyFrom(o: Token): void {
    this.category = o.category;
    this.strOpen = o.strOpen;
    this.strClose = o.strClose;
    this.pos = o.pos;
    this.len = o.len;
    this.count = o.count;
    memory.copy(changetype<usize>(this.val), changetype<usize>(o.val), <usize>TOKEN_SIZE);
  }

  /** Byte i of the value, 0 past its end (as the C library's NUL-terminated buffer reads). */
  at(i: i32): u8 {
    return i >= 0 && i < this.len ? unchecked(this.val[i]) : 0;
  }

  /** Is the value, upper-cased (ASCII), equal to `upper`? */
  equalsUpper(upper: string): bool {
    if (upper.length != this.len) return false;
    for (let i = 0; i < this.len; i++) {
      let c = <i32>unchecked(this.val[i]);
      if (c >= 0x61 && c <= 0x7a) c -= 0x20;
      if (c != upper.charCodeAt(i)) return false;
    }
    return true;
  }

  /** Is the first `n` bytes of the value, upper-cased, equal to `upper` (n = upper.length <= len)? */
  startsWithUpper(upper: string): bool {
    const n = upper.length;
    if (n > this.len) return false;
    for (let i = 0; i < n; i++) {
      let c = <i32>unchecked(this.val[i]);
      if (c >= 0x61 && c <= 0x7a) c -= 0x20;
      if (c != upper.charCodeAt(i)) return false;
    }
    return true;
  }

  isUnaryOp(): bool {
    if (this.category != T_OPERATOR) return false;
    const c0 = this.at(0);
    if (this.len == 1) return c0 == 0x2b || c0 == 0x2d || c0 == 0x21 || c0 == 0x7e; // + - ! ~
    if (this.len == 2) return c0 == 0x21 && this.at(1) == 0x21; // !!
    if (this.len == 3) return this.equalsUpper('NOT');
    return false;
  }

  isArithmeticOp(): bool {
    if (this.category != T_OPERATOR || this.len != 1) return false;
    const c = this.at(0);
    return c == 0x2a || c == 0x2f || c == 0x2b || c == 0x2d || c == 0x25; // * / + - %
  }
}
