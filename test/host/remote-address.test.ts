// source.address follows Envoy's connection manager defaults: the last x-forwarded-for entry when it is an IP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { remoteAddressOf } from '../../host/core/remote-address.ts';
import { fromWire, toWire } from '../../host/node/wire-text.ts';

test('the last valid x-forwarded-for entry wins, with port 0 (seen in Envoy 1.40)', () => {
  assert.equal(remoteAddressOf('127.0.0.1:4000', undefined), '127.0.0.1:4000');
  assert.equal(remoteAddressOf('127.0.0.1:4000', '10.1.2.3'), '10.1.2.3:0');
  assert.equal(remoteAddressOf('127.0.0.1:4000', '10.1.2.3, 192.168.1.1'), '192.168.1.1:0');
  assert.equal(remoteAddressOf('127.0.0.1:4000', '2001:db8::1'), '[2001:db8::1]:0');
  assert.equal(remoteAddressOf('127.0.0.1:4000', '::ffff:10.0.0.1'), '[::ffff:10.0.0.1]:0');
});

test('anything that is not an IP leaves the socket peer', () => {
  for (const bad of ['nope', '', '10.1.2.3, nope', '256.1.1.1', '1.2.3', '10.1.2.3:80', '1:2:3:4:5:6:7:8:9', 'fe80::1::2', 'g::1']) {
    assert.equal(remoteAddressOf('127.0.0.1:4000', bad), '127.0.0.1:4000', bad);
  }
});

test('UTF-8 header bytes cross the Node boundary unchanged (no double encoding)', () => {
  const wire = Buffer.from([0x61, 0xef, 0xbc, 0x9c, 0x62]).toString('latin1'); // what Node's parser hands over
  assert.equal(fromWire(wire), 'a\uff1cb');
  assert.equal(toWire('a\uff1cb'), wire);
  assert.equal(fromWire('plain'), 'plain');
});
