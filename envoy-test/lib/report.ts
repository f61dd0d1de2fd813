// Console report of the real-Envoy run: one line per case, details under failures, and the closing
// `N passed, N failed, N skipped`.
export class Report {
  passed = 0;
  failed = 0;
  skipped = 0;

  suite(title: string): void {
    console.log(`\n## ${title}`);
  }

  pass(name: string, note?: string): void {
    this.passed++;
    console.log(`ok    ${name}${note ? `  (${note})` : ''}`);
  }

  fail(name: string, details: string[], stderrPath?: string): void {
    this.failed++;
    console.log(`FAIL  ${name}`);
    for (const d of details) console.log(`        ${d.replace(/\n/g, '\n        ')}`);
    if (stderrPath) console.log(`        Envoy's log: ${stderrPath}`);
  }

  skip(name: string, why: string): void {
    this.skipped++;
    console.log(`skip  ${name}: ${why}`);
  }

  summary(): string {
    return `${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped`;
  }
}
