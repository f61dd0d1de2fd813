// The table of operators: one line per name (lower-case), like Coraza's Register calls. Adding `@foo`
// is one new file and one line here.
import { DataFiles, OperatorResult } from '../types';
import { compileRx } from './rx';
import { compileEq, compileGe, compileGt, compileLe, compileLt } from './numeric';
import {
  compileStreq, compileContains, compileContainsWord, compileBeginsWith, compileEndsWith, compileWithin,
  compileStrmatch,
} from './strings';
import { compilePm, compilePmFromFile } from './pm';
import { compileIpMatch, compileIpMatchFromFile } from './ipmatch';
import { compileValidateByteRange, compileValidateUrlEncoding, compileValidateUtf8Encoding } from './validate';
import { compileUnconditionalMatch, compileNoMatch } from './trivial';
import { compileDetectSQLi, compileDetectXSS } from './libinjection';

export type Compile = (param: string, files: DataFiles) => OperatorResult;

export const NAMES: string[] = [];
export const COMPILERS: Compile[] = [];

function reg(name: string, c: Compile): void {
  NAMES.push(name.toLowerCase());
  COMPILERS.push(c);
}

reg('rx', (p: string, f: DataFiles): OperatorResult => compileRx(p));
reg('eq', (p: string, f: DataFiles): OperatorResult => compileEq(p));
reg('ge', (p: string, f: DataFiles): OperatorResult => compileGe(p));
reg('gt', (p: string, f: DataFiles): OperatorResult => compileGt(p));
reg('le', (p: string, f: DataFiles): OperatorResult => compileLe(p));
reg('lt', (p: string, f: DataFiles): OperatorResult => compileLt(p));
reg('streq', (p: string, f: DataFiles): OperatorResult => compileStreq(p));
reg('contains', (p: string, f: DataFiles): OperatorResult => compileContains(p));
reg('containsWord', (p: string, f: DataFiles): OperatorResult => compileContainsWord(p));
reg('beginsWith', (p: string, f: DataFiles): OperatorResult => compileBeginsWith(p));
reg('endsWith', (p: string, f: DataFiles): OperatorResult => compileEndsWith(p));
reg('within', (p: string, f: DataFiles): OperatorResult => compileWithin(p));
reg('strmatch', (p: string, f: DataFiles): OperatorResult => compileStrmatch(p));
reg('pm', (p: string, f: DataFiles): OperatorResult => compilePm(p));
reg('pmFromFile', compilePmFromFile);
reg('pmf', compilePmFromFile);
reg('ipMatch', (p: string, f: DataFiles): OperatorResult => compileIpMatch(p));
reg('ipMatchFromFile', compileIpMatchFromFile);
reg('ipMatchF', compileIpMatchFromFile);
reg('validateByteRange', (p: string, f: DataFiles): OperatorResult => compileValidateByteRange(p));
reg('validateUrlEncoding', (p: string, f: DataFiles): OperatorResult => compileValidateUrlEncoding(p));
reg('validateUtf8Encoding', (p: string, f: DataFiles): OperatorResult => compileValidateUtf8Encoding(p));
reg('unconditionalMatch', (p: string, f: DataFiles): OperatorResult => compileUnconditionalMatch(p));
reg('noMatch', (p: string, f: DataFiles): OperatorResult => compileNoMatch(p));
reg('detectSQLi', (p: string, f: DataFiles): OperatorResult => compileDetectSQLi(p));
reg('detectXSS', (p: string, f: DataFiles): OperatorResult => compileDetectXSS(p));
