// meshplug regex: RE2 syntax, leftmost-first semantics, linear time. See README.md.
export { Regex, CompileResult, parseFlags, LATIN1 } from './regex';
export { RegexSet } from './set';
export { LiteralFilter } from './litfilter';
export { requiredLiterals, regexLiterals } from './prefilter';
export { replaceAll, replaceAllBytes, checkRewrite, ReplaceResult } from './replace';
export { steps, resetSteps } from './pikevm';
