// Shapes of Wycheproof vector files (testvectors_v1), only the fields the runner reads.

export type Expected = 'valid' | 'invalid' | 'acceptable';

export interface TestCase {
  tcId: number;
  comment: string;
  flags: string[];
  result: Expected;
  [field: string]: unknown;
}

export interface TestGroup {
  type: string;
  tests: TestCase[];
  [field: string]: unknown;
}

export interface VectorFile {
  algorithm: string;
  schema: string;
  numberOfTests?: number;
  testGroups: TestGroup[];
}

export function hex(value: unknown, what: string): Uint8Array {
  if (typeof value !== 'string' || value.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(value)) {
    throw new Error(`field ${what} is not a hex string`);
  }
  return Uint8Array.from(Buffer.from(value, 'hex'));
}

export function str(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`field ${what} is not a string`);
  return value;
}

export function num(value: unknown, what: string): number {
  if (typeof value !== 'number') throw new Error(`field ${what} is not a number`);
  return value;
}

export function obj(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw new Error(`field ${what} is not an object`);
  return value as Record<string, unknown>;
}

export function isVectorFile(x: unknown): x is VectorFile {
  const o = x as Partial<VectorFile> | null;
  return typeof o === 'object' && o !== null && typeof o.schema === 'string' && Array.isArray(o.testGroups);
}
