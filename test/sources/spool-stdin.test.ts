import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import { spoolStdin } from '../../src/sources/spool-stdin.js';
import { runCli, repoRoot } from '../helpers/run-cli.js';

t.test('stdin is copied to an owner-only file that remove() deletes', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-spool-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const copy = await spoolStdin(Readable.from([Buffer.from('{"a":1}\n')]), dir);
  t.equal(fs.readFileSync(copy.path, 'utf8'), '{"a":1}\n');
  t.equal(fs.statSync(copy.path).mode & 0o777, 0o600);
  copy.remove();
  t.same(fs.readdirSync(dir), []);
});

t.test('a copy that cannot be written is WRITE_FAILED, not a stdin that cannot be read', async (t) => {
  await t.rejects(spoolStdin(Readable.from([Buffer.from('x')]), path.join(os.tmpdir(), 'deid-no-such-folder', 'x')), { code: 'WRITE_FAILED' });
  const failing = new Readable({ read() { this.destroy(Object.assign(new Error('boom'), { code: 'EIO' })); } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-spool-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  await t.rejects(spoolStdin(failing, dir), { code: 'READ_FAILED' });
  t.same(fs.readdirSync(dir), [], 'the partial copy is removed');
});

t.test('deid fhir with a TMPDIR that does not exist: 73 naming the temporary copy, not an internal error', async (t) => {
  const r = await runCli(['fhir'], { input: fs.readFileSync(path.join(repoRoot, 'data/samples/fhir/Patient.ndjson')), env: { TMPDIR: path.join(os.tmpdir(), 'deid-no-such-tmpdir') } });
  t.equal(r.code, 73);
  t.match(r.stderr, /WRITE_FAILED.*stdin/);
  t.equal(r.stdout.length, 0);
});

t.test('stdin failing before the copy is even open: no empty copy is created after the removal', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-spool-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (let i = 0; i < 20; i++) {
    const failed = new Readable({ read() {} });
    failed.destroy(Object.assign(new Error('boom'), { code: 'EIO' }));
    await t.rejects(spoolStdin(failed, dir), { code: 'READ_FAILED' });
  }
  // an open still pending when the copy was removed would create the file afterwards
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.same(fs.readdirSync(dir), [], 'no copy left');
});
