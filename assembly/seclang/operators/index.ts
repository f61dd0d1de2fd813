// SecLang operators (`@name param`), the entry point the WAF engine uses. Negation (`!@`) is the engine's.
import { DataFiles, OperatorResult } from '../types';
import { NAMES, COMPILERS } from './registry';
import { unsupported } from './unsupported';

const UNSUPPORTED: string[] = ['rsub', 'inspectfile', 'fuzzyhash', 'geolookup', 'rbl', 'gsblookup'];

/**
 * Compiles operator `name` (without `@`, any case) with its parameter. Data files (`@pmFromFile`,
 * `@ipMatchFromFile`) come from `files`. Unknown operators and bad parameters are errors with the reason.
 */
export function compileOperator(name: string, param: string, files: DataFiles): OperatorResult {
  const lower = name.toLowerCase();
  for (let i = 0; i < NAMES.length; i++) {
    if (unchecked(NAMES[i]) == lower) return unchecked(COMPILERS[i])(param, files);
  }
  if (UNSUPPORTED.includes(lower)) return unsupported(lower);
  return OperatorResult.fail('unknown operator @' + name);
}

/** Whether `name` is an operator this library knows (supported or not). */
export function isKnownOperator(name: string): bool {
  const lower = name.toLowerCase();
  return NAMES.includes(lower) || UNSUPPORTED.includes(lower);
}
