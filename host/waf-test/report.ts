// The runner's output contract. Text: one line per failing test, `<id>: <reason>`, then
// `N passed, N failed, N skipped` alone on the last line. JSON: the summary and every test's result.
import type { RunSummary } from './runner.ts';

export function summaryLine(s: Pick<RunSummary, 'passed' | 'failed' | 'skipped'>): string {
  return `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
}

export function formatText(s: RunSummary): string {
  const lines = s.results.filter((r) => r.result === 'fail').map((r) => `${r.id}: ${r.reason.replace(/\s*\n\s*/g, ' ')}`);
  lines.push(summaryLine(s));
  return lines.join('\n') + '\n';
}

export function formatJson(s: RunSummary): string {
  return JSON.stringify({
    summary: { passed: s.passed, failed: s.failed, skipped: s.skipped, seconds: s.seconds, loadMs: s.loadMs },
    tests: s.results.map((r) => ({ id: r.id, result: r.result, reason: r.reason })),
  }, null, 2) + '\n';
}
