// Every operator of the OWASP CRS (the copy in /work/shared/data/crs) compiles with our operators library:
// each `SecRule VARIABLES "OPERATOR" ...` of rules/*.conf, with the `.data` files served to @pmFromFile.
// Also checks a few CRS rules' operators against inputs from the CRS regression tests' attack payloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeclangOps } from '../../assembly/seclang/operators/js/engine.ts';

const crsRules = '/work/shared/data/crs/rules';

/** [rule file, operator name, parameter, negated] for every SecRule of the CRS. */
function crsOperators(): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const f of readdirSync(crsRules).filter((n) => n.endsWith('.conf')).sort()) {
    // Join continuation lines, then read the second argument of each SecRule (a quoted string).
    const text = readFileSync(join(crsRules, f), 'utf8').replace(/\\\n\s*/g, ' ');
    for (const line of text.split('\n')) {
      const m = /^\s*SecRule\s+\S+\s+"((?:[^"\\]|\\.)*)"/.exec(line);
      if (!m) continue;
      const op = m[1].replace(/\\"/g, '"');
      const om = /^!?@(\w+)(?:\s(.*))?$/s.exec(op);
      // A SecRule without `@` is an implicit @rx.
      if (om) out.push([f, om[1], om[2] ?? '']);
      else out.push([f, 'rx', op.replace(/^!/, '')]);
    }
  }
  return out;
}

test('every CRS operator compiles (bytes-mode @rx, @pmFromFile with the CRS data files, macros)', async () => {
  const engine = await SeclangOps.load();
  for (const f of readdirSync(crsRules).filter((n) => n.endsWith('.data'))) engine.putFile(f, readFileSync(join(crsRules, f), 'utf8'));
  const ops = crsOperators();
  assert.ok(ops.length > 500, `only ${ops.length} SecRules found`);
  const errors: string[] = [];
  const names = new Set<string>();
  for (const [file, name, param] of ops) {
    names.add(name);
    const h = engine.compile(name, param);
    if (typeof h === 'string') errors.push(`${file}: @${name} ${param.slice(0, 60)}: ${h}`);
  }
  assert.deepEqual(errors, []);
  for (const n of ['rx', 'pm', 'pmFromFile', 'detectSQLi', 'detectXSS', 'validateByteRange', 'ipMatch', 'within']) {
    assert.ok(names.has(n), `the CRS uses @${n}`);
  }
});

test('CRS operators on attack payloads and benign values', async () => {
  const engine = await SeclangOps.load();
  for (const f of readdirSync(crsRules).filter((n) => n.endsWith('.data'))) engine.putFile(f, readFileSync(join(crsRules, f), 'utf8'));
  const byRule = new Map<string, [string, string]>();
  for (const [file, name, param] of crsOperators()) {
    const key = `${file}:${name}:${param}`;
    byRule.set(key, [name, param]);
  }
  const find = (name: string, needle: string): number => {
    for (const [n, p] of byRule.values()) {
      if (n === name && p.includes(needle)) {
        const h = engine.compile(n, p);
        assert.equal(typeof h, 'number');
        return h as number;
      }
    }
    throw new Error(`no CRS @${name} containing ${needle}`);
  };
  const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
  // 930120: OS file access (lfi-os-files.data)
  const lfi = find('pmFromFile', 'lfi-os-files.data');
  assert.equal(engine.match(lfi, latin1('/etc/passwd')).match, true);
  assert.equal(engine.match(lfi, latin1('/ETC/PASSWD'), true).tx0.length > 0, true);
  assert.equal(engine.match(lfi, latin1('/index.html')).match, false);
  // 942430: 12 SQL meta-characters, UTF-8 quote look-alikes counted byte sequence by byte sequence (the
  // reason @rx runs in bytes mode: `\x{c2}\x{b4}` means the two bytes, not U+00C2 U+00B4)
  const meta = find('rx', '\\x{c2}\\x{b4}');
  assert.equal(engine.match(meta, latin1('a\xc2\xb4'.repeat(12))).match, true);
  assert.equal(engine.match(meta, latin1('a\xe2\x80\x99'.repeat(12))).match, true);
  assert.equal(engine.match(meta, latin1('a\xe2\x80\x99'.repeat(11))).match, false);
  assert.equal(engine.match(meta, latin1('a\xc3\x82\xc2\xb4'.repeat(6))).match, false);
  // 920270: invalid character in request (null byte)
  const range = find('validateByteRange', '1-255');
  assert.equal(engine.match(range, latin1('a\x00b')).match, true);
  assert.equal(engine.match(range, latin1('abc')).match, false);
});
