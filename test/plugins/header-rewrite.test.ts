// header-rewrite through the real dist/header-rewrite.wasm: configuration refusals (one log line naming
// the field), hostile requests (never a trap), and what the scenario format cannot express (repeated
// header lines, time-dependent formatters).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runSingleRequest, type RequestSpec, type StandInUpstream } from '../../host/node/single-request.ts';

const wasm = fileURLToPath(new URL('../../dist/header-rewrite.wasm', import.meta.url));
const built = existsSync(wasm);
const skip = built ? false : 'dist/header-rewrite.wasm missing: run `npm run build:plugin -- header-rewrite`';

async function run(config: unknown, request: RequestSpec = {}, upstream?: StandInUpstream) {
  return runSingleRequest({ plugins: [{ file: wasm, configuration: JSON.stringify(config) }], request, upstream, workers: 1 });
}

const values = (headers: [string, string][], name: string) => headers.filter(([k]) => k === name).map(([, v]) => v);

// Each bad configuration must be refused at configure time with this text in the error log line.
const refused: [string, unknown, string][] = [
  ['not JSON', '{', 'not valid JSON'],
  ['unknown top-level field', { header: {} }, '"(config)" has unknown field "header"'],
  ['unknown field inside headers.request', { headers: { request: { sett: {} } } }, '"headers.request" has unknown field "sett"'],
  ['CR in a value', { headers: { request: { set: { 'x-a': 'a\rb' } } } }, '"headers.request.set.x-a" has a control character (code 13)'],
  ['LF in a value', { headers: { response: { add: { 'x-a': 'a\nb' } } } }, 'control character (code 10)'],
  ['NUL in a value', { headers: { request: { set: { 'x-a': 'a\u0000' } } } }, 'control character (code 0)'],
  ['other control byte (0x01) in a value', { headers: { request: { set: { 'x-a': '\u0001' } } } }, 'control character (code 1)'],
  ['DEL in a value', { headers: { request: { set: { 'x-a': 'a\u007f' } } } }, 'control character (code 127)'],
  ['space in a header name', { headers: { request: { set: { 'x a': '1' } } } }, 'header name has a character not allowed'],
  ['pseudo-header :path in set', { headers: { request: { set: { ':path': '/x' } } } }, 'pseudo-headers and host change only through rewrite'],
  ['remove of host', { headers: { request: { remove: ['Host'] } } }, 'cannot edit host'],
  ['remove of :authority', { headers: { request: { remove: [':authority'] } } }, 'cannot edit :authority'],
  ['response set of :status', { headers: { response: { set: { ':status': '500' } } } }, 'cannot edit :status'],
  ['lone % in a value', { headers: { request: { set: { 'x-a': '50%' } } } }, 'lone %'],
  ['unknown formatter', { headers: { request: { set: { 'x-a': '%NOPE%' } } } }, 'unsupported formatter %NOPE%'],
  ['RESP in a request header', { headers: { request: { set: { 'x-a': '%RESP(x)%' } } } }, '%RESP(..)% in a request header'],
  ['bad appendAction', { headers: { request: { ops: [{ name: 'x', value: 'v', appendAction: 'APPEND' }] } } }, '"headers.request.ops[0].appendAction" must be one of'],
  ['ops without a value', { headers: { request: { ops: [{ name: 'x' }] } } }, '"headers.request.ops[0].value" must be a string'],
  ['rename onto itself', { headers: { request: { rename: { 'x-a': 'X-A' } } } }, 'names the same header on both sides'],
  ['invalid regex in a match', { match: [{ uri: { regex: '(' } }] }, '"match[0].uri.regex" is not a valid RE2 regex'],
  ['unbalanced regex that would be valid when wrapped', { match: [{ uri: { regex: 'a)|(b' } }] }, 'is not a valid RE2 regex'],
  ['backreference (not RE2)', { rewrite: { uriRegexRewrite: { match: '(a)\\1', rewrite: '/' } } }, '"rewrite.uriRegexRewrite.match" is not a valid RE2 regex'],
  ['rewrite group beyond the pattern', { rewrite: { uriRegexRewrite: { match: '^/(a)$', rewrite: '/\\2' } } }, '"rewrite.uriRegexRewrite.rewrite"'],
  ['uri and uriRegexRewrite together', { rewrite: { uri: '/a', uriRegexRewrite: { match: 'a', rewrite: 'b' } } }, 'cannot be combined with uri'],
  ['uri not starting with /', { rewrite: { uri: 'x' } }, '"rewrite.uri" must start with /'],
  ['StringMatch with two kinds', { match: [{ uri: { exact: '/', prefix: '/' } }] }, 'must have only one of exact, prefix, regex'],
  ['empty uri StringMatch', { match: [{ uri: {} }] }, '"match[0].uri" must have one of'],
  ['credentials with a "*" origin', { corsPolicy: { allowOrigins: [{ exact: '*' }], allowCredentials: true } }, '"corsPolicy.allowCredentials" cannot be true'],
  ['credentials with a catch-all regex', { corsPolicy: { allowOrigins: [{ regex: '.*' }], allowCredentials: true } }, 'cannot be true when allowOrigins matches every origin'],
  ['bad maxAge', { corsPolicy: { maxAge: '1 day' } }, '"corsPolicy.maxAge" must be a duration'],
  ['bad unmatchedPreflights', { corsPolicy: { unmatchedPreflights: 'DROP' } }, 'must be FORWARD or IGNORE'],
  ['comma inside one allowMethods entry', { corsPolicy: { allowMethods: ['GET,POST'] } }, '"corsPolicy.allowMethods[0]" must be one token'],
  ['too many rules', { rules: Array.from({ length: 129 }, () => ({})) }, '"rules" has more than 128 entries'],
  ['value over the size limit', { headers: { request: { set: { 'x-big': 'a'.repeat(8193) } } } }, 'longer than 8192 bytes'],
  ['header name over the size limit', { headers: { request: { set: { ['x'.repeat(257)]: 'a' } } } }, 'longer than 256 bytes'],
  ['host set twice (set and add)', { headers: { request: { set: { host: 'a' }, add: { ':authority': 'b' } } } }, 'sets the authority a second time'],
  ['host header and rewrite.authority', { headers: { request: { set: { host: 'a' } } }, rewrite: { authority: 'b' } }, 'conflicts with a host/:authority header'],
  ['rules not a list', { rules: {} }, '"rules" must be a list'],
];

for (const [what, config, text] of refused) {
  test(`header-rewrite refuses config: ${what}`, { skip }, async () => {
    const cfg = typeof config === 'string' ? config : JSON.stringify(config);
    await assert.rejects(
      runSingleRequest({ plugins: [{ file: wasm, configuration: cfg }], request: {}, workers: 1 }),
      (e: Error) => {
        assert.match(e.message, /header-rewrite: /);
        assert.ok(e.message.includes(text), `expected ${JSON.stringify(text)} in: ${e.message}`);
        return true;
      },
    );
  });
}

test('header-rewrite: add keeps the client line and adds a second one (not comma-joined)', { skip }, async () => {
  const o = await run({ headers: { request: { add: { 'x-tag': 'ours' } } } }, { headers: [['x-tag', 'client']] });
  assert.deepEqual(values(o.upstreamRequest!.headers, 'x-tag'), ['client', 'ours']);
});

test('header-rewrite: rename and copy carry every value of a repeated header', { skip }, async () => {
  const o = await run({ headers: { request: { rename: { 'x-a': 'x-b' }, copy: { 'x-c': 'x-d' } } } },
    { headers: [['x-a', '1'], ['x-a', '2'], ['x-c', '3'], ['x-c', '4']] });
  const h = o.upstreamRequest!.headers;
  assert.deepEqual(values(h, 'x-a'), []);
  assert.deepEqual(values(h, 'x-b'), ['1', '2']);
  assert.deepEqual(values(h, 'x-d'), ['3', '4']);
});

test('header-rewrite: %START_TIME% and %DOWNSTREAM_REMOTE_ADDRESS% have Envoy\'s shapes', { skip }, async () => {
  const before = Date.now();
  const o = await run({ headers: { request: { set: { 'x-t': '%START_TIME%', 'x-addr': '%DOWNSTREAM_REMOTE_ADDRESS%', 'x-proto': '%PROTOCOL%' } } } });
  const h = o.upstreamRequest!.headers;
  const t = values(h, 'x-t')[0]!;
  assert.match(t, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  assert.ok(Math.abs(Date.parse(t) - before) < 60_000, `${t} is not now`);
  assert.equal(values(h, 'x-addr')[0], '127.0.0.1:40000');
  assert.equal(values(h, 'x-proto')[0], 'HTTP/1.1');
});

test('header-rewrite: OVERWRITE_IF_EXISTS_OR_ADD leaves exactly one line', { skip }, async () => {
  const o = await run({ headers: { request: { set: { 'x-a': 'v' } } } }, { headers: [['x-a', '1'], ['x-a', '2']] });
  assert.deepEqual(values(o.upstreamRequest!.headers, 'x-a'), ['v']);
});

test('header-rewrite: an empty configuration passes requests through untouched', { skip }, async () => {
  const o = await runSingleRequest({ plugins: [{ file: wasm }], request: { path: '/a?b=1', headers: [['x-a', '1']] }, workers: 1 });
  assert.equal(o.response.status, 200);
  assert.equal(o.upstreamRequest!.path, '/a?b=1');
  assert.deepEqual(values(o.upstreamRequest!.headers, 'x-a'), ['1']);
});

// Hostile requests: every one must get an ordinary answer (no trap → no 503 from a failed VM).
const everything = {
  rules: [{
    match: [{ uri: { regex: '/(a+)+b.*' } }, { headers: { 'x-h': { regex: '(x|xx)*y' } } }, { queryParams: { q: { prefix: '' } } }, {}],
    headers: {
      request: { set: { 'x-copy': '%REQ(x-big)%', 'x-path': '%REQ(:path)%' }, add: { 'x-copy2': '%REQ(x-big)%' }, rename: { 'x-big': 'x-big2' }, remove: ['x-drop'] },
      response: { set: { 'x-r': '%REQ(x-big)%|%RESP(x-up)%' } },
    },
    rewrite: { uriRegexRewrite: { match: '(a*)*', rewrite: '[\\1]' }, queryParams: { set: { q: 'z' }, remove: ['r'] } },
    corsPolicy: { allowOrigins: [{ regex: 'https://.*\\.example' }], allowMethods: ['GET'], unmatchedPreflights: 'IGNORE' },
  }],
};
const hostile: [string, RequestSpec][] = [
  ['a long path of a', { path: '/' + 'a'.repeat(20000) + '?q=1&r=2' }],
  ['a regex-heavy header', { headers: [['x-h', 'x'.repeat(5000)]] }],
  ['a 30 KiB header copied twice', { headers: [['x-big', 'b'.repeat(30000)]] }],
  ['bad percent escapes and empty query segments', { path: '/p?%zz=%&&=&q=%ff%fe&r' }],
  ['only a question mark', { path: '/?' }],
  ['non-ASCII bytes in path and origin', { method: 'OPTIONS', path: '/%C3%A9\u00e9', headers: [['origin', 'https://\u00e9.example'], ['access-control-request-method', 'GET']] }],
  ['an empty origin and an empty preflight method', { method: 'OPTIONS', path: '/', headers: [['origin', ''], ['access-control-request-method', '']] }],
  ['many headers', { headers: Array.from({ length: 90 }, (_, i) => [`x-n${i}`, String(i)] as [string, string]) }],
];
for (const [what, request] of hostile) {
  test(`header-rewrite: hostile request (${what}) gets an ordinary answer`, { skip }, async () => {
    const o = await run(everything, request, { status: 200, headers: [['x-up', 'u']] });
    assert.equal(o.response.status, 200, JSON.stringify(o.logs));
    assert.ok(!o.logs.some((l) => l.level === 'critical'), JSON.stringify(o.logs));
  });
}

test('header-rewrite: the empty-match regex rewrite follows RE2 GlobalReplace', { skip }, async () => {
  const o = await run({ rewrite: { uriRegexRewrite: { match: 'a*', rewrite: '-' } } }, { path: '/baaa?x=a' });
  // RE2::GlobalReplace("/baaa", "a*", "-") == "-/-b-"; the query is kept.
  assert.equal(o.upstreamRequest!.path, '-/-b-?x=a');
});

// The documented example and every scenario config must satisfy the published JSON Schema, and the
// example must load in the plugin (the README promises it can be applied as is).
test('header-rewrite: examples/wasmplugin.yaml and every scenario config fit config.schema.json; the example loads', { skip }, async () => {
  const { readFileSync } = await import('node:fs');
  const { parse } = await import('yaml');
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const dir = new URL('../../plugins/header-rewrite/', import.meta.url);
  const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(new URL('config.schema.json', dir), 'utf8')));
  const example = parse(readFileSync(new URL('examples/wasmplugin.yaml', dir), 'utf8')).spec.pluginConfig;
  assert.ok(validate(example), JSON.stringify(validate.errors));
  const scenarios = JSON.parse(readFileSync(new URL('../scenarios/header-rewrite.json', import.meta.url), 'utf8')) as { plugins: { config: unknown }[] }[];
  for (const s of scenarios) assert.ok(validate(s.plugins[0]!.config), JSON.stringify(validate.errors));
  assert.equal(validate({ headers: { request: { sett: {} } } }), false);
  const legacy = await run(example, { path: '/v1/items?x=1' });
  assert.equal(legacy.upstreamRequest!.path, '/api/v1/items?x=1');
  assert.deepEqual(values(legacy.upstreamRequest!.headers, 'x-api-generation'), ['legacy']);
  const api = await run(example, { path: '/api/items', headers: [['x-legacy-user', 'u'], ['origin', 'https://pr-7.preview.example.com']] });
  assert.deepEqual(values(api.upstreamRequest!.headers, 'x-user'), ['u']);
  assert.deepEqual(values(api.upstreamRequest!.headers, 'x-client-ip'), ['127.0.0.1']);
  assert.deepEqual(values(api.response.headers, 'access-control-allow-origin'), ['https://pr-7.preview.example.com']);
});
