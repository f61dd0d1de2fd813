// go-ftw override files. The platform format (`test_overrides:` entries with rule_id, test_ids, optional
// stage_ids, reason and a replacement `output`) replaces the expected output of the listed tests, as
// `ftw run --overrides` does. go-ftw's config-file section `testoverride:` (ignore / forcepass / forcefail:
// test-id regex → reason) is accepted too, so a tracked skip always carries its reason.
import { parseDocument } from 'yaml';
import RE2 from 're2';
import { FtwFormatError, parseOutput, type StageOutput, type TestCase } from './ftw-test.ts';

export interface OutputOverride {
  ruleId: number;
  testIds: number[];
  /** 0-based stage indices; empty = every stage. */
  stageIds: number[];
  reason: string;
  output: StageOutput;
}

export interface ForcedResult { pattern: RE2; source: string; reason: string }

export interface Overrides {
  outputs: OutputOverride[];
  ignore: ForcedResult[];
  forcePass: ForcedResult[];
  forceFail: ForcedResult[];
}

export const noOverrides: Overrides = { outputs: [], ignore: [], forcePass: [], forceFail: [] };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function ints(v: unknown, where: string): number[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x, i) => {
    if (typeof x !== 'string' || !/^\d+$/.test(x.trim())) throw new FtwFormatError(`${where}[${i}]: expected a non-negative integer`);
    return Number(x.trim());
  });
}

function forced(v: unknown, where: string): ForcedResult[] {
  if (v === undefined || v === null) return [];
  if (!isObj(v)) throw new FtwFormatError(`${where}: expected a mapping of test-id regex to reason`);
  return Object.entries(v).map(([source, reason]) => {
    let pattern: RE2;
    try {
      pattern = new RE2(source);
    } catch (e) {
      throw new FtwFormatError(`${where}: bad regex ${JSON.stringify(source)}: ${(e as Error).message}`);
    }
    return { pattern, source, reason: typeof reason === 'string' ? reason : '' };
  });
}

export function parseOverrides(text: string, file: string): Overrides {
  const doc = parseDocument(text, { schema: 'failsafe' });
  if (doc.errors.length > 0) throw new FtwFormatError(`${file}: not valid YAML: ${doc.errors[0]!.message}`);
  const root = doc.toJS() as unknown;
  if (!isObj(root)) throw new FtwFormatError(`${file}: expected a mapping at the top level`);
  const list = root.test_overrides ?? [];
  if (!Array.isArray(list)) throw new FtwFormatError(`${file}: test_overrides: expected a list`);
  const outputs = list.map((e, i): OutputOverride => {
    const where = `${file}: test_overrides[${i}]`;
    if (!isObj(e)) throw new FtwFormatError(`${where}: expected a mapping`);
    const ruleId = ints(e.rule_id, `${where}.rule_id`);
    if (ruleId.length !== 1) throw new FtwFormatError(`${where}.rule_id: expected one rule id`);
    if (typeof e.reason !== 'string' || e.reason.trim() === '') throw new FtwFormatError(`${where}.reason: every override needs a reason`);
    if (e.output === undefined) throw new FtwFormatError(`${where}.output: missing`);
    return {
      ruleId: ruleId[0]!,
      testIds: ints(e.test_ids, `${where}.test_ids`),
      stageIds: ints(e.stage_ids, `${where}.stage_ids`),
      reason: e.reason.trim(),
      output: parseOutput(e.output, `${where}.output`),
    };
  });
  const t = isObj(root.testoverride) ? root.testoverride : {};
  return {
    outputs,
    ignore: forced(t.ignore, `${file}: testoverride.ignore`),
    forcePass: forced(t.forcepass, `${file}: testoverride.forcepass`),
    forceFail: forced(t.forcefail, `${file}: testoverride.forcefail`),
  };
}

/** Replaces the expected output of overridden stages; returns the reasons that applied. */
export function applyOutputOverrides(tc: TestCase, o: Overrides): string[] {
  const reasons: string[] = [];
  for (const ov of o.outputs) {
    // go-ftw applies an entry only to the test ids it lists.
    if (ov.ruleId !== tc.ruleId || !ov.testIds.includes(tc.testId)) continue;
    tc.stages.forEach((s, i) => { if (ov.stageIds.length === 0 || ov.stageIds.includes(i)) s.output = ov.output; });
    reasons.push(ov.reason);
  }
  return reasons;
}

/** go-ftw's precedence: ignore, then forcefail, then forcepass. */
export function forcedResult(id: string, o: Overrides): { result: 'skip' | 'fail' | 'pass'; reason: string } | null {
  const hit = (list: ForcedResult[]) => list.find((f) => f.pattern.test(id));
  const ig = hit(o.ignore);
  if (ig) return { result: 'skip', reason: `ignored: ${ig.reason || ig.source}` };
  const ff = hit(o.forceFail);
  if (ff) return { result: 'fail', reason: `forced to fail: ${ff.reason || ff.source}` };
  const fp = hit(o.forcePass);
  if (fp) return { result: 'pass', reason: `forced to pass: ${fp.reason || fp.source}` };
  return null;
}
