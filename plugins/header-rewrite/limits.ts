// Bounds on configuration, so a hostile or mistaken config cannot make every request expensive.
export const MAX_RULES: i32 = 128;
export const MAX_MATCHES: i32 = 64;
export const MAX_ENTRIES: i32 = 256;      // per set/add/remove/ops/rename/copy/query list
export const MAX_NAME_BYTES: i32 = 256;   // header / query parameter names
export const MAX_VALUE_BYTES: i32 = 8192; // a value template as written in the config
export const MAX_REGEX_BYTES: i32 = 4096;
