// A stage's outcome against its expected output, in go-ftw's order (checkResult): an expected error
// decides alone; otherwise status, response_contains, then the log. Every failed condition is listed in
// the reason, not only the first.
import type { StageOutput } from './ftw-test.ts';
import { anyLineMatches, compileGoRegex, triggeredRules } from './log-window.ts';
import type { RawResult } from './raw-client.ts';

export interface StageVerdict { pass: boolean; reasons: string[] }

export function checkStage(expected: StageOutput, result: RawResult, logLines: string[]): StageVerdict {
  const reasons: string[] = [];
  if (expected.expectError) {
    if (!result.ok) return { pass: true, reasons };
    return { pass: false, reasons: [`expected an error, got status ${result.response.status}`] };
  }
  if (!result.ok) return { pass: false, reasons: [`request failed: ${result.error}`] };
  const r = result.response;
  if (expected.status.length > 0 && !expected.status.includes(r.status)) reasons.push(`status ${r.status}, expected ${expected.status.join(' or ')}`);
  if (expected.responseContains) {
    const re = compileGoRegex(expected.responseContains);
    if (typeof re === 'string') reasons.push(`response_contains: ${re}`);
    else if (!anyLineMatches([r.full], re)) reasons.push(`response does not match ${JSON.stringify(expected.responseContains)}`);
  }
  const log = expected.log;
  const ids = triggeredRules(logLines);
  if (log.matchRegex) {
    const re = compileGoRegex(log.matchRegex);
    if (typeof re === 'string') reasons.push(`match_regex: ${re}`);
    else if (!anyLineMatches(logLines, re)) reasons.push(`log does not match ${JSON.stringify(log.matchRegex)}`);
  }
  const missing = log.expectIds.filter((id) => !ids.has(id));
  if (missing.length > 0) reasons.push(`missing ids ${missing.join(', ')}`);
  if (expected.isolated && ids.size !== 1) reasons.push(`isolated: ${ids.size} rules triggered, expected exactly one`);
  if (log.noMatchRegex) {
    const re = compileGoRegex(log.noMatchRegex);
    if (typeof re === 'string') reasons.push(`no_match_regex: ${re}`);
    else if (anyLineMatches(logLines, re)) reasons.push(`log matches ${JSON.stringify(log.noMatchRegex)}`);
  }
  const unexpected = log.noExpectIds.filter((id) => ids.has(id));
  if (unexpected.length > 0) reasons.push(`unexpected ids ${unexpected.join(', ')}`);
  return { pass: reasons.length === 0, reasons };
}
