// The state of one SQLi check: the input, the token array the tokenizer fills and the folder rewrites,
// the fingerprint, and the statistics the false-positive rules read. One instance is reused for every
// call, so a check allocates nothing once the instance exists.
import { Input } from './input';
import { QuoteEscapes } from './quote-escape';
import { Token } from './sqli-token';
import { FLAG_QUOTE_NONE, FLAG_SQL_ANSI } from './sqli-types';

export class SqliState {
  input: Input = new Input();
  escapes: QuoteEscapes = new QuoteEscapes();
  flags: i32 = 0;
  /** Where the tokenizer is in the input. */
  pos: i32 = 0;
  /** MAX_TOKENS + 3: folding looks one token past the fifth, and copies tokens around in place. */
  tokens: StaticArray<Token> = new StaticArray<Token>(8);
  current: Token = new Token();
  lastComment: Token = new Token();
  /** Room for 8: the '{' rule can return one token past MAX_TOKENS (libinjection-go panics there). */
  fingerprint: StaticArray<u8> = new StaticArray<u8>(8);
  fingerprintLen: i32 = 0;
  /** '--x' comments seen (ANSI comments that MySQL reads as two minus signs). */
  statsCommentDDX: i32 = 0;
  /** '#' seen (MySQL comments, ANSI operators). */
  statsCommentHash: i32 = 0;
  statsFolds: i32 = 0;
  statsTokens: i32 = 0;

  constructor() {
    for (let i = 0; i < 8; i++) this.tokens[i] = new Token();
    this.current = this.tokens[0];
  }

  /** Starts checking `len` bytes at `ptr`. */
  load(ptr: usize, len: i32): void {
    this.input.set(ptr, len);
    this.escapes.reset(this.input);
  }

  /** Starts a new tokenization pass over the loaded input with the given context flags. */
  reset(flags: i32): void {
    this.flags = flags == 0 ? FLAG_QUOTE_NONE | FLAG_SQL_ANSI : flags;
    this.pos = 0;
    for (let i = 0; i < 8; i++) unchecked(this.tokens[i]).reset();
    this.current = unchecked(this.tokens[0]);
    this.lastComment.reset();
    this.fingerprintLen = 0;
    this.statsCommentDDX = 0;
    this.statsCommentHash = 0;
    this.statsFolds = 0;
    this.statsTokens = 0;
  }

  /** Token i (folding only uses 0..7; the mask keeps any index inside the array without a trap). */
  @inline token(i: i32): Token {
    return unchecked(this.tokens[i & 7]);
  }

  fingerprintText(): string {
    let out = '';
    for (let i = 0; i < this.fingerprintLen; i++) out += String.fromCharCode(this.fingerprint[i]);
    return out;
  }
}
