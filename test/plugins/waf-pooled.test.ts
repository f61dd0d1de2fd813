// waf reuses per-stream state (plugins/waf/transaction.ts: pooled transactions, recycled MATCHED_VARS
// pairs; stream.ts: connection properties re-read only when they change). One VM takes requests that
// differ in connection, protocol and request id, and requests whose rules change TX, remove rules and
// targets at runtime: each must see only its own values, never the previous transaction's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProxyWasmHost } from '../../host/core/host.ts';
import type { IncomingRequest } from '../../host/core/types.ts';
import { loadPluginFile } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';

const wasm = fileURLToPath(new URL('../../dist/waf.wasm', import.meta.url));
const skip = existsSync(wasm) ? false : 'dist/waf.wasm missing: run `npm run build:plugin -- waf`';
const enc = new TextEncoder();

const rules = [
  'SecRuleEngine On',
  // Connection facts and the request id, as the first rule of every request logs them.
  `SecAction "id:1,phase:1,pass,log,msg:'conn %{REMOTE_ADDR} %{REMOTE_PORT} %{SERVER_ADDR} %{SERVER_PORT} %{REQUEST_PROTOCOL} %{UNIQUE_ID}'"`,
  // TX set by one request must not be there in the next.
  `SecRule ARGS:set "@streq 1" "id:2,phase:1,pass,nolog,setvar:tx.leak=1,setvar:'tx.dyn_%{ARGS.set}=x'"`,
  `SecRule &TX:leak "@eq 1" "id:3,phase:1,pass,log,msg:'leak set'"`,
  `SecRule TX:/^dyn_/ "@streq x" "id:4,phase:1,pass,log,msg:'dyn %{MATCHED_VAR_NAME}'"`,
  // A runtime rule removal and target removal apply to their own request only.
  `SecRule ARGS:off "@streq 1" "id:5,phase:1,pass,nolog,ctl:ruleRemoveById=6,ctl:ruleRemoveTargetById=7;ARGS:q"`,
  `SecAction "id:6,phase:1,pass,log,msg:'six ran'"`,
  `SecRule ARGS "@rx bad" "id:7,phase:1,pass,log,msg:'seven %{MATCHED_VAR_NAME}'"`,
  // MATCHED_VAR_NAME of a literal selector keeps the member's own spelling.
  `SecRule ARGS:foo "@rx ." "id:8,phase:1,pass,log,msg:'eight %{MATCHED_VAR_NAME}'"`,
  // A chain over MATCHED_VARS sees the members the first rule matched, in order, and only those.
  `SecRule ARGS "@rx ^m" "id:9,phase:1,pass,log,chain,msg:'nine'"`,
  // Its own matches (appended while it runs) are not walked again: the count stays 1.
  `SecRule MATCHED_VARS "@rx 2$" "setvar:'tx.nine=%{MATCHED_VAR_NAME}',setvar:tx.nines=+1"`,
  `SecRule TX:nine "@rx ." "id:10,phase:1,pass,log,msg:'ten %{tx.nine} %{tx.nines}'"`,
];

interface Sent { path: string; source: string; dest: string; protocol: string; id?: string }

test('waf: a VM\'s consecutive transactions each see only their own connection, TX and runtime changes', { skip, timeout: 120_000 }, async () => {
  const logs: string[] = [];
  const host = new ProxyWasmHost({
    platform: nodePlatform(), workers: 1, logLevel: 'info', onLog: (r) => logs.push(r.message),
    upstream: () => ({ status: 200, headers: [['content-length', '2']], body: enc.encode('ok') }),
  });
  const send = async (s: Sent) => {
    logs.length = 0;
    const headers: [string, string][] = [['user-agent', 'test']];
    if (s.id) headers.push(['x-request-id', s.id]);
    const req: IncomingRequest = { method: 'GET', path: s.path, authority: 'shop.example.com', scheme: 'http', protocol: s.protocol,
      headers, body: new Uint8Array(0), connection: { id: host.newConnectionId(), sourceAddress: s.source, destinationAddress: s.dest } };
    assert.equal((await host.handle(req)).status, 200);
    const msgs = logs.map((l) => /\[msg "([^"]*)"\]/.exec(l)?.[1]).filter((m): m is string => m !== undefined);
    return msgs;
  };
  try {
    host.addPlugin(await loadPluginFile({ file: wasm, name: 'waf', configuration: enc.encode(JSON.stringify({ directives_map: { d: rules }, default_directives: 'd' })) }));
    const conn = (m: string[]) => m.find((x) => x.startsWith('conn '));

    let m = await send({ path: '/a?set=1&off=1&q=bad&r=bad', source: '10.0.0.1:1111', dest: '10.0.0.2:80', protocol: 'HTTP/1.1', id: 'req-one' });
    assert.equal(conn(m), 'conn 10.0.0.1 1111 10.0.0.2 80 HTTP/1.1 req-one');
    assert.ok(m.includes('leak set'));
    assert.ok(m.includes('dyn TX:dyn_1'));
    assert.ok(!m.includes('six ran'), 'rule 6 removed at runtime');
    assert.deepEqual(m.filter((x) => x.startsWith('seven')), ['seven ARGS:r'], 'ARGS:q removed from rule 7');

    m = await send({ path: '/b?q=bad&FOO=1', source: '[::1]:2222', dest: '10.0.0.2:8080', protocol: 'HTTP/2', id: 'req-two' });
    assert.equal(conn(m), 'conn ::1 2222 10.0.0.2 8080 HTTP/2 req-two');
    assert.ok(!m.includes('leak set'), 'TX of the previous transaction is gone');
    assert.ok(!m.some((x) => x.startsWith('dyn')), 'runtime TX names of the previous transaction are gone');
    assert.ok(m.includes('six ran'), 'the previous runtime rule removal is gone');
    assert.deepEqual(m.filter((x) => x.startsWith('seven')), ['seven ARGS:q'], 'the previous target removal is gone');
    assert.deepEqual(m.filter((x) => x.startsWith('eight')), ['eight ARGS:FOO']);

    m = await send({ path: '/c?foo=1&a=m1&b=m2&c=x', source: '10.0.0.1:1111', dest: '10.0.0.2:80', protocol: 'HTTP/1.1' });
    assert.match(conn(m) ?? '', /^conn 10\.0\.0\.1 1111 10\.0\.0\.2 80 HTTP\/1\.1 [0-9a-f-]{36}$/, 'no x-request-id: the one the proxy adds');
    assert.deepEqual(m.filter((x) => x.startsWith('eight')), ['eight ARGS:foo']);
    assert.ok(m.includes('nine'));
    assert.deepEqual(m.filter((x) => x.startsWith('ten')), ['ten MATCHED_VARS:ARGS:b 1']);

    m = await send({ path: '/d?a=m1', source: '10.0.0.1:1111', dest: '10.0.0.2:80', protocol: 'HTTP/1.1', id: 'req-four' });
    assert.equal(conn(m), 'conn 10.0.0.1 1111 10.0.0.2 80 HTTP/1.1 req-four');
    assert.ok(!m.includes('nine'), 'MATCHED_VARS hold only this request\'s matches');
    assert.ok(!m.some((x) => x.startsWith('ten')));
  } finally {
    host.close();
  }
});
