// libinjection's SQL token types: each is the byte that stands for the token in a fingerprint.

export const T_NONE: u8 = 0;
export const T_KEYWORD: u8 = 0x6b; // k
export const T_UNION: u8 = 0x55; // U
export const T_GROUP: u8 = 0x42; // B
export const T_EXPRESSION: u8 = 0x45; // E
export const T_SQLTYPE: u8 = 0x74; // t
export const T_FUNCTION: u8 = 0x66; // f
export const T_BAREWORD: u8 = 0x6e; // n
export const T_NUMBER: u8 = 0x31; // 1
export const T_VARIABLE: u8 = 0x76; // v
export const T_STRING: u8 = 0x73; // s
export const T_OPERATOR: u8 = 0x6f; // o
export const T_LOGIC_OPERATOR: u8 = 0x26; // &
export const T_COMMENT: u8 = 0x63; // c
export const T_COLLATE: u8 = 0x41; // A
export const T_LEFT_PAREN: u8 = 0x28; // (
export const T_RIGHT_PAREN: u8 = 0x29; // )
export const T_LEFT_BRACE: u8 = 0x7b; // {
export const T_RIGHT_BRACE: u8 = 0x7d; // }
export const T_DOT: u8 = 0x2e; // .
export const T_COMMA: u8 = 0x2c; // ,
export const T_COLON: u8 = 0x3a; // :
export const T_SEMICOLON: u8 = 0x3b; // ;
export const T_TSQL: u8 = 0x54; // T
export const T_UNKNOWN: u8 = 0x3f; // ?
export const T_EVIL: u8 = 0x58; // X
export const T_FINGERPRINT: u8 = 0x46; // F (a keyword-table entry that is a SQLi fingerprint)
export const T_BACKSLASH: u8 = 0x5c; // \

/** Quote bytes. */
export const SINGLE_QUOTE: u8 = 0x27;
export const DOUBLE_QUOTE: u8 = 0x22;
export const BACKTICK: u8 = 0x60;

/** Parse flags: which quote context the input starts in, and which comment dialect. */
export const FLAG_QUOTE_NONE: i32 = 1;
export const FLAG_QUOTE_SINGLE: i32 = 2;
export const FLAG_QUOTE_DOUBLE: i32 = 4;
export const FLAG_SQL_ANSI: i32 = 8;
export const FLAG_SQL_MYSQL: i32 = 16;

/** At most this many tokens make a fingerprint. */
export const MAX_TOKENS: i32 = 5;
/** A token keeps at most TOKEN_SIZE - 1 bytes of its value. */
export const TOKEN_SIZE: i32 = 32;
