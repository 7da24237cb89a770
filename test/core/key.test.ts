import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeKey, loadKey } from '../../src/core/key.js';

const raw = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');

t.test('hex, base64 and raw key files decode to the same bytes', async (t) => {
  t.same(decodeKey(Buffer.from(raw.toString('hex') + '\n')), raw);
  t.same(decodeKey(Buffer.from(raw.toString('base64') + '\r\n')), raw);
  t.same(decodeKey(Buffer.from(raw.toString('base64url'))), raw);
  const bin = Buffer.concat([raw, Buffer.from([0xff, 0x00])]);
  t.same(decodeKey(bin), bin, 'raw bytes');
});

t.test('short keys are refused without echoing the key', async (t) => {
  t.throws(() => decodeKey(Buffer.from('abcd')), { code: 'KEY_INVALID' });
  try {
    decodeKey(Buffer.from('secretsecret'));
  } catch (e) {
    t.notMatch((e as Error).message, /secret/);
  }
});

t.test('key file, env and random fallback', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'deid-key-'));
  const f = join(dir, 'k');
  writeFileSync(f, raw.toString('hex'));
  t.same(loadKey({ keyFile: f, env: {} }).bytes, raw);
  t.equal(loadKey({ keyFile: f, env: {} }).source, 'file');
  t.same(loadKey({ env: { DEID_KEY: raw.toString('base64') } }).bytes, raw);
  const r1 = loadKey({ env: {} });
  const r2 = loadKey({ env: {} });
  t.equal(r1.source, 'random');
  t.not(r1.bytes.toString('hex'), r2.bytes.toString('hex'));
  t.throws(() => loadKey({ keyFile: join(dir, 'missing'), env: {} }), { code: 'KEY_INVALID' });
});
