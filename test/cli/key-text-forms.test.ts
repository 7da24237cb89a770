import t from 'tap';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { decodeKey } from '../../src/core/key.js';
import { runCli } from '../helpers/run-cli.js';

// Key text that is all hex digits or all base64 characters is read as that
// text form; a short one is refused instead of being taken as raw bytes.

const key = randomBytes(48);

t.test('too-short hex and base64 keys are refused, not read as raw text bytes', async (t) => {
  const hex16 = randomBytes(16).toString('hex');
  t.throws(() => decodeKey(Buffer.from(hex16 + '\n')), { code: 'KEY_INVALID' }, 'openssl rand -hex 16 (33 bytes of text)');
  t.throws(() => decodeKey(Buffer.from(hex16)), { code: 'KEY_INVALID' }, '32 hex digits in DEID_KEY');
  t.throws(() => decodeKey(Buffer.from(randomBytes(31).toString('hex'))), { code: 'KEY_INVALID' }, '62 hex digits are 31 bytes, not base64');
  t.throws(() => decodeKey(Buffer.from(randomBytes(24).toString('base64') + '\n')), { code: 'KEY_INVALID' }, 'openssl rand -base64 24');
  try {
    decodeKey(Buffer.from(hex16 + '\n'));
  } catch (e) {
    t.notMatch((e as Error).message, hex16, 'the key is not echoed');
    t.match((e as Error).message, /32/, 'the message gives the length');
  }
});

t.test('line breaks and surrounding blanks do not change the key', async (t) => {
  const hex = key.toString('hex');
  const b64 = key.toString('base64');
  t.same(decodeKey(Buffer.from(hex + '  \n')), key, 'hex with trailing blanks');
  t.same(decodeKey(Buffer.from(hex.slice(0, 64) + '\n' + hex.slice(64) + '\n')), key, 'hex wrapped');
  t.same(decodeKey(Buffer.from(b64.slice(0, 40) + '\n' + b64.slice(40) + '\n')), key, 'base64 wrapped (openssl rand -base64 48)');
  t.same(decodeKey(Buffer.from('\t' + b64 + ' \r\n')), key, 'base64 with blanks');
  const phrase = Buffer.from('a passphrase with spaces, long enough for 32 bytes');
  t.same(decodeKey(phrase), phrase, 'text that is neither hex nor base64 stays raw');
});

t.test('deid fhir with a 16-byte hex key file exits 78 before any output', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'deid-keytext-'));
  const kf = join(dir, 'key');
  writeFileSync(kf, randomBytes(16).toString('hex') + '\n');
  const out = join(dir, 'out');
  const r = await runCli(['fhir', 'data/samples/fhir/Patient.ndjson', '-o', out, '--key-file', kf]);
  t.equal(r.code, 78);
  t.match(r.stderr, /KEY_INVALID/);
  t.equal(r.stdout.length, 0);
  t.notOk(existsSync(out), 'no output folder');
});
