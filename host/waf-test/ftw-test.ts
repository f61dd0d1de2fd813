// go-ftw test files (schema v2, coreruleset/ftw-tests-schema) → typed test cases. YAML is read with the
// failsafe schema so header values and bodies keep their exact text (Go decodes them into strings, so
// `X: 1.0` stays "1.0"); numbers and booleans are converted where the schema has them.
import { parseDocument } from 'yaml';
import { expandTemplate } from './go-template.ts';

export interface StageInput {
  destAddr: string;
  port: number;
  protocol: string;
  method: string;
  uri: string;
  version: string;
  /** In go-ftw's order: a map is sorted by name; `ordered_headers` keeps its order. */
  headers: [string, string][];
  /** The body before go-ftw's autocompletion (templates already expanded); null = none. */
  data: string | null;
  /** Set when `data` had a template go-ftw could not evaluate: it then sends no body. */
  templateError: string | null;
  encodedData: string | null;
  encodedRequest: string | null;
  autocompleteHeaders: boolean;
}

export interface LogExpectations {
  expectIds: number[];
  noExpectIds: number[];
  matchRegex: string;
  noMatchRegex: string;
}

export interface StageOutput {
  /** Accepted statuses; empty = not checked. */
  status: number[];
  responseContains: string;
  log: LogExpectations;
  expectError: boolean;
  retryOnce: boolean;
  isolated: boolean;
}

export interface Stage { input: StageInput; output: StageOutput }

export interface TestCase {
  ruleId: number;
  testId: number;
  /** go-ftw's name for it: `<rule_id>-<test_id>`. */
  id: string;
  desc: string;
  file: string;
  stages: Stage[];
}

export class FtwFormatError extends Error {}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, where: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new FtwFormatError(`${where}: expected a string`);
  return v;
}

function int(v: unknown, where: string): number | undefined {
  const s = str(v, where);
  if (s === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(s.trim())) throw new FtwFormatError(`${where}: expected an integer, got '${s}'`);
  return Number(s.trim());
}

function bool(v: unknown, where: string): boolean | undefined {
  const s = str(v, where);
  if (s === undefined) return undefined;
  if (/^(true|True|TRUE)$/.test(s)) return true;
  if (/^(false|False|FALSE)$/.test(s)) return false;
  throw new FtwFormatError(`${where}: expected true or false, got '${s}'`);
}

function intList(v: unknown, where: string): number[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    const one = int(v, where);
    return one === undefined ? [] : [one];
  }
  return v.map((x, i) => int(x, `${where}[${i}]`)!);
}

function headerList(input: Obj, where: string): [string, string][] {
  const ordered = input.ordered_headers;
  if (ordered !== undefined && ordered !== null) {
    if (!Array.isArray(ordered)) throw new FtwFormatError(`${where}.ordered_headers: expected a list`);
    return ordered.map((h, i) => {
      if (!isObj(h)) throw new FtwFormatError(`${where}.ordered_headers[${i}]: expected {name, value}`);
      return [str(h.name, `${where}.ordered_headers[${i}].name`) ?? '', str(h.value, `${where}.ordered_headers[${i}].value`) ?? ''];
    });
  }
  const h = input.headers;
  if (h === undefined || h === null) return [];
  if (!isObj(h)) throw new FtwFormatError(`${where}.headers: expected a mapping`);
  // Go sorts map keys bytewise (NewHeaderFromMap); compare UTF-8 bytes, not UTF-16 units.
  const keys = Object.keys(h).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return keys.map((k) => [k, str(h[k], `${where}.headers.${k}`) ?? '']);
}


export function parseInput(v: unknown, where: string): StageInput {
  if (!isObj(v)) throw new FtwFormatError(`${where}: expected a mapping`);
  const rawData = str(v.data, `${where}.data`);
  let data: string | null = null;
  let templateError: string | null = null;
  if (rawData !== undefined) {
    const t = expandTemplate(rawData);
    if (t.ok) data = t.text;
    else templateError = t.error;
  }
  const autocomplete = bool(v.autocomplete_headers, `${where}.autocomplete_headers`);
  const stopMagic = bool(v.stop_magic, `${where}.stop_magic`);
  return {
    destAddr: str(v.dest_addr, `${where}.dest_addr`) ?? 'localhost',
    port: int(v.port, `${where}.port`) ?? 80,
    protocol: str(v.protocol, `${where}.protocol`) ?? 'http',
    method: str(v.method, `${where}.method`) ?? 'GET',
    uri: str(v.uri, `${where}.uri`) ?? '/',
    version: str(v.version, `${where}.version`) ?? 'HTTP/1.1',
    headers: headerList(v, where),
    data,
    templateError,
    encodedData: str(v.encoded_data, `${where}.encoded_data`) ?? null,
    encodedRequest: str(v.encoded_request, `${where}.encoded_request`) ?? null,
    // stop_magic is the old, inverted name of autocomplete_headers (go-ftw postProcessAutocompleteHeaders).
    autocompleteHeaders: autocomplete ?? (stopMagic === undefined ? true : !stopMagic),
  };
}

export function parseOutput(v: unknown, where: string): StageOutput {
  if (v === undefined || v === null) v = {};
  if (!isObj(v)) throw new FtwFormatError(`${where}: expected a mapping`);
  const log = v.log ?? {};
  if (!isObj(log)) throw new FtwFormatError(`${where}.log: expected a mapping`);
  const expectIds = intList(log.expect_ids, `${where}.log.expect_ids`);
  const noExpectIds = intList(log.no_expect_ids, `${where}.log.no_expect_ids`);
  let matchRegex = str(log.match_regex, `${where}.log.match_regex`) ?? '';
  let noMatchRegex = str(log.no_match_regex, `${where}.log.no_match_regex`) ?? '';
  // Legacy log_contains / no_log_contains fill in only when the log block does not say otherwise.
  const logContains = str(v.log_contains, `${where}.log_contains`) ?? '';
  const noLogContains = str(v.no_log_contains, `${where}.no_log_contains`) ?? '';
  if (logContains && log.expect_ids === undefined && !matchRegex) matchRegex = logContains;
  if (noLogContains && log.no_expect_ids === undefined && !noMatchRegex) noMatchRegex = noLogContains;
  return {
    status: intList(v.status, `${where}.status`).filter((s) => s !== 0),
    responseContains: str(v.response_contains, `${where}.response_contains`) ?? '',
    log: { expectIds, noExpectIds, matchRegex, noMatchRegex },
    expectError: bool(v.expect_error, `${where}.expect_error`) ?? false,
    retryOnce: bool(v.retry_once, `${where}.retry_once`) ?? false,
    isolated: bool(v.isolated, `${where}.isolated`) ?? false,
  };
}

/** Parses one test file's text; `file` names it in errors and supplies the rule id when the file has none. */
export function parseFtwFile(text: string, file: string): TestCase[] {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false });
  if (doc.errors.length > 0) throw new FtwFormatError(`${file}: not valid YAML: ${doc.errors[0]!.message}`);
  const root = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (root === null || root === undefined) return []; // an empty or all-comment file has no tests (920539.yaml)
  if (!isObj(root)) throw new FtwFormatError(`${file}: expected a mapping at the top level`);
  let ruleId = int(root.rule_id, `${file}: rule_id`);
  if (ruleId === undefined) {
    // go-ftw falls back on the first number in the file name.
    const m = /\d+/.exec(file.replace(/^.*\//, ''));
    if (!m) throw new FtwFormatError(`${file}: no rule_id and no number in the file name`);
    ruleId = Number(m[0]);
  }
  const tests = root.tests ?? [];
  if (!Array.isArray(tests)) throw new FtwFormatError(`${file}: tests: expected a list`);
  return tests.map((t, i) => {
    const where = `${file}: tests[${i}]`;
    if (!isObj(t)) throw new FtwFormatError(`${where}: expected a mapping`);
    const testId = int(t.test_id, `${where}.test_id`) || i + 1;
    const stages = t.stages ?? [];
    if (!Array.isArray(stages)) throw new FtwFormatError(`${where}.stages: expected a list`);
    return {
      ruleId: ruleId!,
      testId,
      id: `${ruleId}-${testId}`,
      desc: str(t.desc, `${where}.desc`) ?? '',
      file,
      stages: stages.map((s, j) => {
        const sw = `${where}.stages[${j}]`;
        if (!isObj(s)) throw new FtwFormatError(`${sw}: expected a mapping`);
        // Old files nest the stage under a `stage:` key.
        const st = isObj(s.stage) ? s.stage : s;
        return { input: parseInput(st.input, `${sw}.input`), output: parseOutput(st.output, `${sw}.output`) };
      }),
    };
  });
}
