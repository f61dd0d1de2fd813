// Thin wrapper over node:util parseArgs: prints the command's usage on --help and turns parse errors
// into one clear message.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export class UsageError extends Error {}

export function parseCommandArgs<O extends OptionSpec>(args: string[], options: O, usage: string) {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    return null;
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${usage}`);
  }
}

/** `--config JSON|@FILE`, `--body STR|@FILE`: a value, or the contents of a file when prefixed with @. */
export async function valueOrFile(v: string): Promise<string> {
  if (!v.startsWith('@')) return v;
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(v.slice(1), 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${v.slice(1)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
