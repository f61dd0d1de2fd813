// waf through the real dist/waf.wasm: configuration refusals (one log line with file:line or the field and
// the reason), hostile requests (never a trap), the full embedded CRS, and what scenarios cannot express
// (many requests on one VM, the audit line's JSON, memory staying flat).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { startGateway, type Gateway } from '../../host/node/gateway.ts';
import { runSingleRequest, type RequestSpec, type StandInUpstream } from '../../host/node/single-request.ts';

const wasm = fileURLToPath(new URL('../../dist/waf.wasm', import.meta.url));
const skip = existsSync(wasm) ? false : 'dist/waf.wasm missing: run `npm run build:plugin -- waf`';

const directives = (...lines: string[]) => ({ directives_map: { default: lines }, default_directives: 'default' });

async function run(config: unknown, request: RequestSpec = {}, upstream?: StandInUpstream, repeat = 1) {
  return runSingleRequest({ plugins: [{ file: wasm, configuration: typeof config === 'string' ? config : JSON.stringify(config) }], request, upstream, workers: 1, repeat });
}

const refused: [string, unknown, string][] = [
  ['not JSON', '{', 'not valid JSON'],
  ['unknown field', { directive_map: {} }, 'unknown field `directive_map`'],
  ['no directives at all', {}, 'missing `directives_map`'],
  ['default_directives naming nothing', { directives_map: { a: [] }, default_directives: 'b' }, 'no directives_map entry named `b`'],
  ['per_authority naming nothing', { directives_map: { a: [] }, default_directives: 'a', per_authority_directives: { 'x.com': 'zz' } }, '`per_authority_directives.x.com`: no directives_map entry named `zz`'],
  ['match_sets not a boolean', { directives_map: { a: [] }, default_directives: 'a', match_sets: 'no' }, '`match_sets` must be true or false'],
  ['a non-string directive', { directives_map: { a: [1] }, default_directives: 'a' }, '`directives_map.a[0]` must be a string'],
  ['unknown directive', directives('SecRuleEngine On', 'SecFrobnicate On'), 'directives_map.default[1]:1: unknown directive SecFrobnicate'],
  ['bad SecRuleEngine value', directives('SecRuleEngine Maybe'), 'directives_map.default[0]:1: SecRuleEngine must be On, Off or DetectionOnly'],
  ['rule without id', directives('SecRule ARGS "@rx a" "phase:1,deny"'), 'rule has no id'],
  ['duplicate id', directives('SecAction "id:5,pass,nolog"', 'SecAction "id:5,pass,nolog"'), 'directives_map.default[1]:1: duplicate rule id 5'],
  ['unknown variable', directives('SecRule NOPE "@rx a" "id:1"'), 'unknown variable NOPE'],
  ['unknown operator', directives('SecRule ARGS "@frob a" "id:1"'), '@frob'],
  ['bad regex', directives('SecRule ARGS "@rx (" "id:1"'), 'directives_map.default[0]:1: @rx'],
  ['unknown transformation', directives('SecRule ARGS "@rx a" "id:1,t:rot13"'), 'unknown transformation rot13'],
  ['unknown action', directives('SecRule ARGS "@rx a" "id:1,explode"'), 'unknown or unsupported action explode'],
  ['bad phase', directives('SecRule ARGS "@rx a" "id:1,phase:7"'), 'bad phase `7`'],
  ['unterminated quote', directives('SecRule ARGS "@rx a'), 'unterminated quote'],
  ['unknown macro variable', directives('SecRule ARGS "@rx a" "id:1,msg:\'%{NOPE}\'"'), 'unknown variable in macro %{NOPE}'],
  ['chain never continued', directives('SecRule ARGS "@rx a" "id:1,chain"'), 'the chain is not continued by a SecRule'],
  ['disruptive action in a chained rule', directives('SecRule ARGS "@rx a" "id:1,chain"', 'SecRule ARGS "@rx b" "deny"'), 'only the chain\'s first rule may have one'],
  ['Include of a missing file', directives('Include nothing.conf'), 'Include: no file named `nothing.conf`'],
  ['error inside an included user file', { ...directives('Include my.conf'), files: { 'my.conf': 'SecRuleEngine On\n\nSecRule ARGS "@rx a" "id:x"' } }, 'my.conf:3: bad id `x`'],
  ['Include recursion', { ...directives('Include a.conf'), files: { 'a.conf': 'Include a.conf' } }, 'Include nested deeper than 8'],
  ['bad body limit', directives('SecRequestBodyLimit lots'), 'expected a non-negative integer'],
];

for (const [what, config, text] of refused) {
  test(`waf refuses config: ${what}`, { skip }, async () => {
    await assert.rejects(run(config), (e: Error) => {
      assert.match(e.message, /waf: bad configuration: /);
      assert.ok(e.message.includes(text), `expected ${JSON.stringify(text)} in: ${e.message}`);
      return true;
    });
  });
}

// The full CRS is loaded once, in one gateway, for every test that needs it (loading it costs ~1 s).
const fullCrs = directives('Include @recommended-conf', 'Include @crs-setup-conf', 'Include @owasp_crs/*.conf', 'SecRuleEngine On',
  'SecRequestBodyAccess On', 'SecAction "id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=4"');
const browser: [string, string][] = [['user-agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'], ['accept', 'text/html,application/xhtml+xml'], ['accept-language', 'en-US,en;q=0.5']];
let gateway: Gateway | null = null;
const gatewayLogs: string[] = [];

before(async () => {
  if (skip) return;
  gateway = await startGateway({
    listen: { host: '127.0.0.1', port: 0 }, admin: null, upstream: 'echo', workers: 1, logLevel: 'info', clusters: {}, statsTags: null,
    plugins: [{ name: 'waf', wasm, rootId: '', vmId: '', failurePolicy: 'FAIL_CLOSED', config: JSON.stringify(fullCrs) }],
  }, (line) => gatewayLogs.push(line));
});
after(async () => { await gateway?.close(); });

async function send(path: string, init: { method?: string; headers?: [string, string][]; body?: string } = {}) {
  gatewayLogs.length = 0;
  const r = await fetch(gateway!.url + path, { method: init.method ?? 'GET', headers: init.headers, body: init.body });
  await r.arrayBuffer();
  return { status: r.status, logs: gatewayLogs.slice() };
}

test('waf: the whole embedded CRS blocks a SQL injection (942100 libinjection) at PL4', { skip }, async () => {
  const o = await send("/item?id=1'%20OR%201=1--", { headers: browser });
  assert.equal(o.status, 403, o.logs.slice(0, 5).join('\n'));
  assert.ok(o.logs.some((l) => l.includes('[id "942100"]')), 'rule 942100 logged');
  assert.ok(o.logs.some((l) => l.includes('[id "949110"]')), 'blocking evaluation logged');
});

test('waf: the whole embedded CRS blocks an XSS in a form body (phase 2, 941100 libinjection)', { skip }, async () => {
  const o = await send('/comment', { method: 'POST', headers: [...browser, ['content-type', 'application/x-www-form-urlencoded']], body: 'text=%3Cscript%3Ealert(1)%3C%2Fscript%3E' });
  assert.equal(o.status, 403);
  assert.ok(o.logs.some((l) => l.includes('[id "941100"]')), o.logs.join('\n').slice(0, 1500));
});

test('waf: the whole embedded CRS lets a browser GET through at PL1', { skip }, async () => {
  const o = await run(directives('Include @recommended-conf', 'Include @crs-setup-conf', 'Include @owasp_crs/*.conf', 'SecRuleEngine On'), { path: '/index.html?page=2&sort=asc', headers: browser });
  assert.equal(o.response.status, 200, o.logs.map((l) => l.message).join('\n').slice(0, 2000));
});

// Hostile requests: each must get an ordinary answer, never a trap (a trap fails the VM: later requests 503).
const hostile: [string, string, { method?: string; headers?: [string, string][]; body?: string }][] = [
  ['NUL and invalid UTF-8 in the query', '/?a=%00%ff%fe&%c0%af=1', {}],
  ['10 000 query arguments', '/?' + Array.from({ length: 10000 }, (_, i) => `a${i}=${i}`).join('&'), {}],
  ['a 60 KiB header', '/', { headers: [['x-big', 'a'.repeat(60000)]] }],
  ['cookies without names or values', '/', { headers: [['cookie', ';;=;a;=b; ;c=']] }],
  ['malformed JSON body', '/', { method: 'POST', headers: [['content-type', 'application/json']], body: '{"a": [1, 2' + ']'.repeat(3) + '{'.repeat(5000) }],
  ['deeply nested JSON', '/', { method: 'POST', headers: [['content-type', 'application/json']], body: '['.repeat(20000) }],
  ['malformed multipart', '/', { method: 'POST', headers: [['content-type', 'multipart/form-data; boundary=xx']], body: '--xx\r\nContent-Disposition: form-data; name="a"\r\n\r\n' }],
  ['multipart without boundary', '/', { method: 'POST', headers: [['content-type', 'multipart/form-data']], body: 'hello' }],
  ['broken XML', '/', { method: 'POST', headers: [['content-type', 'text/xml']], body: '<a><b attr="x>' + '<c>'.repeat(3000) }],
  ['a path of 8 KiB of %', '/' + '%'.repeat(8192), {}],
  ['binary body without a content type', '/', { method: 'POST', body: String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => i % 256)) }],
];

test('waf survives hostile requests under the full CRS (answers, never a trap; the VM keeps working)', { skip }, async () => {
  for (const [what, path, init] of hostile) {
    const o = await send(path, init);
    assert.ok(o.status < 500, `${what}: status ${o.status}`);
    assert.ok(!o.logs.some((l) => /\[critical\]|panic|unreachable|trap/i.test(l)), `${what}: ${o.logs.filter((l) => /critical|trap/.test(l)).join('\n')}`);
  }
  // The VM is still healthy: a benign request passes, an attack is blocked.
  assert.equal((await send('/index.html', { headers: browser })).status, 200);
  assert.equal((await send('/?q=../../etc/passwd', { headers: browser })).status, 403);
});

// The same rule written plainly, and with action names in mixed case padded with blanks: one audit line each.
for (const [title, actions] of [
  ['one JSON audit line per transaction with matched rules (id, msg, data, severity, tags, phase)', "id:77,phase:1,deny,log,msg:'evil',logdata:'%{MATCHED_VAR}',severity:CRITICAL,tag:t1,tag:t2"],
  ['action names are case-insensitive and may be padded with blanks (same audit line)', "ID:77,Phase:1, DENY ,LOG,Msg:'evil',LogData:'%{MATCHED_VAR}',SEVERITY:CRITICAL,Tag:t1,tAG:t2"],
] as const) {
  test(`waf: ${title}`, { skip }, async () => {
    const o = await run(directives('SecRuleEngine On', `SecRule ARGS "@contains evil" "${actions}"`), { path: '/?a=evil' });
    const lines = o.logs.filter((l) => l.message.startsWith('waf audit: '));
    assert.equal(lines.length, 1);
    const a = JSON.parse(lines[0]!.message.slice('waf audit: '.length));
    assert.deepEqual(a.interruption, { rule_id: 77, action: 'deny', status: 403 });
    assert.deepEqual(a.matches, [{ id: 77, phase: 1, msg: 'evil', data: 'evil', severity: 'CRITICAL', matched_var: 'ARGS:a', tags: ['t1', 't2'] }]);
  });
}

test('waf: rules saying the same operator share one, each keeping its own capture and negation', { skip }, async () => {
  // One compiled `@rx ^(x+)y$` serves rules 10 and 11 (Compiler.ops): only 10 captures, only 11 negates.
  const cfg = directives('SecRuleEngine On',
    'SecRule ARGS:a "@rx ^(x+)y$" "id:10,phase:1,pass,nolog,capture,setvar:tx.got=%{tx.1}"',
    'SecRule ARGS:b "!@rx ^(x+)y$" "id:11,phase:1,pass,nolog,setvar:tx.neg=1"',
    'SecRule TX:got "@streq xx" "id:12,phase:1,deny,status:403,chain"',
    'SecRule &TX:neg "@eq 0"');
  assert.equal((await run(cfg, { path: '/?a=xxy&b=xy' })).response.status, 403);
  assert.equal((await run(cfg, { path: '/?a=xxy&b=zz' })).response.status, 200);
  assert.equal((await run(cfg, { path: '/?a=xy&b=xy' })).response.status, 200);
});

test('waf: no audit line when nothing matched, none with SecAuditEngine Off', { skip }, async () => {
  const clean = await run(directives('SecRuleEngine On', 'SecRule ARGS "@contains evil" "id:77,phase:1,deny,log"'), { path: '/?a=good' });
  assert.equal(clean.logs.filter((l) => l.message.startsWith('waf audit: ')).length, 0);
  const off = await run(directives('SecRuleEngine On', 'SecAuditEngine Off', 'SecRule ARGS "@contains evil" "id:77,phase:1,deny,log"'), { path: '/?a=evil' });
  assert.equal(off.response.status, 403);
  assert.equal(off.logs.filter((l) => l.message.startsWith('waf audit: ')).length, 0);
});

test('waf: the log line carries the marker value and ModSecurity fields for the CRS runner', { skip }, async () => {
  const o = await run(directives('SecRule REQUEST_HEADERS:X-CRS-Test "@rx ^.*$" "id:999999,phase:1,pass,t:none,log,msg:\'%{MATCHED_VAR}\'"'), { headers: [['x-crs-test', 'abc "quoted" \u00e9']] });
  const line = o.logs.find((l) => l.message.includes('[id "999999"]'));
  assert.ok(line, 'marker logged');
  assert.equal(line!.level, 'warn');
  assert.ok(line!.message.includes('[msg "abc \\"quoted\\" \\xc3\\xa9"]'), line!.message);
});

test('waf: 200 requests on one VM give the same answer each time (no state leaks between transactions)', { skip }, async () => {
  const cfg = directives('SecRuleEngine On', 'SecAction "id:1,phase:1,pass,nolog,setvar:tx.n=+1"', 'SecRule TX:n "@gt 1" "id:2,phase:1,deny,log"');
  const o = await run(cfg, { path: '/' }, undefined, 200);
  assert.equal(o.response.status, 200);
  assert.equal(o.metrics['wasmcustom.rule_id=.=2;.;waf_rule_hits'], undefined);
});

test('waf: the WasmPlugin example and every waf scenario config match config.schema.json, and the example loads', { skip }, async () => {
  const read = (p: string) => readFileSync(fileURLToPath(new URL(p, import.meta.url)), 'utf8');
  const Ajv2020 = createRequire(import.meta.url)('ajv/dist/2020') as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } };
  const validate = new Ajv2020.default({ strict: false }).compile(JSON.parse(read('../../plugins/waf/config.schema.json')) as object);
  const example = (parseYaml(read('../../plugins/waf/examples/wasmplugin.yaml')) as { spec: { pluginConfig: unknown } }).spec.pluginConfig;
  assert.ok(validate(example), JSON.stringify(validate.errors));
  for (const s of JSON.parse(read('../scenarios/waf.json')) as { name: string; plugins: { config: unknown }[] }[]) {
    assert.ok(validate(s.plugins[0]!.config), `${s.name}: ${JSON.stringify(validate.errors)}`);
  }
  assert.ok(!validate({ directives: [], directives_map: {} }), 'directives and directives_map together are refused');
  const o = await run(example, { path: '/?q=../../etc/passwd', headers: [['user-agent', 'Mozilla/5.0'], ['accept', 'text/html']] });
  assert.equal(o.response.status, 403);
});
