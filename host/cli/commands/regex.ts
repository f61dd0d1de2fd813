// `meshplug regex`: runs patterns through the compiled AssemblyScript engine (regex.wasm), the same
// code the plugins embed. --batch reads JSON lines {"pattern","input","flags"?} and prints one JSON
// line per input line (see assembly/regex/README.md for the exact output contract).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { RegexEngine } from '../../../assembly/regex/js/engine.ts';
import { parseCommandArgs } from '../args.ts';

export const summary = 'match RE2-syntax patterns with the built-in linear-time engine (--batch FILE.jsonl)';

const usage = `usage: meshplug regex --batch FILE.jsonl     (FILE "-" reads stdin)
       meshplug regex [--flags imsUb] PATTERN INPUT

Each batch line is {"pattern": string, "input": string, "flags"?: string}; each output line is
{"match": bool, "start": n, "end": n, "groups": [[s,e]|null, ...]} or {"error": "..."}.
Offsets are UTF-8 byte offsets; start and end are -1 when there is no match; groups lists groups 1..n
(null when a group did not take part). Flags: i (case-insensitive), m (multi-line), s (. matches \\n),
U (ungreedy), b (match bytes as Latin-1 instead of UTF-8).`;

/** Compiled patterns are reused across lines; the cache is dropped when it grows past this. */
const MAX_CACHED = 2000;

type Line = { pattern: string; input: string; flags: string };

function readLine(text: string, lineNo: number): Line | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return `line ${lineNo}: invalid JSON: ${(e as Error).message}`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `line ${lineNo}: expected a JSON object`;
  const o = v as Record<string, unknown>;
  if (typeof o.pattern !== 'string') return `line ${lineNo}: "pattern" must be a string`;
  if (typeof o.input !== 'string') return `line ${lineNo}: "input" must be a string`;
  if (o.flags !== undefined && typeof o.flags !== 'string') return `line ${lineNo}: "flags" must be a string`;
  return { pattern: o.pattern, input: o.input, flags: (o.flags as string | undefined) ?? '' };
}

class Runner {
  private cache = new Map<string, number | string>();
  private enc = new TextEncoder();
  constructor(private engine: RegexEngine) {}

  run(line: Line): string {
    const key = `${line.flags}\0${line.pattern}`;
    let h = this.cache.get(key);
    if (h === undefined) {
      if (this.cache.size >= MAX_CACHED) {
        for (const v of this.cache.values()) if (typeof v === 'number') this.engine.release(v);
        this.cache.clear();
      }
      h = this.engine.compile(line.pattern, line.flags);
      this.cache.set(key, h);
    }
    if (typeof h === 'string') return JSON.stringify({ error: h });
    const r = this.engine.exec(h, this.enc.encode(line.input));
    return JSON.stringify({ match: r.match, start: r.start, end: r.end, groups: r.groups });
  }
}

async function batch(file: string): Promise<number> {
  const engine = await RegexEngine.load();
  const runner = new Runner(engine);
  const input = file === '-' ? process.stdin : createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    if (file === '-') resolve();
    input.once('error', reject);
    input.once('open', () => resolve());
  });
  try {
    await opened;
  } catch (e) {
    console.error(`meshplug regex: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return 1;
  }
  const rl = createInterface({ input, crlfDelay: Infinity });
  let out: string[] = [];
  let lineNo = 0;
  const flush = async () => {
    if (out.length === 0) return;
    const chunk = out.join('\n') + '\n';
    out = [];
    if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
  };
  for await (const text of rl) {
    lineNo++;
    const parsed = text.trim() === '' ? `line ${lineNo}: empty line` : readLine(text, lineNo);
    out.push(typeof parsed === 'string' ? JSON.stringify({ error: parsed }) : runner.run(parsed));
    if (out.length >= 1000) await flush();
  }
  await flush();
  return 0;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(
    args,
    { batch: { type: 'string' }, flags: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    usage,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (values.batch !== undefined) {
    if (positionals.length > 0) {
      console.error(usage);
      return 2;
    }
    return batch(values.batch);
  }
  if (positionals.length !== 2) {
    console.error(usage);
    return 2;
  }
  const runner = new Runner(await RegexEngine.load());
  console.log(runner.run({ pattern: positionals[0], input: positionals[1], flags: values.flags ?? '' }));
  return 0;
}
