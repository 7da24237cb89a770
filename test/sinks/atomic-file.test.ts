import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import t from 'tap';
import { AtomicFile } from '../../src/sinks/atomic-file.js';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-atomic-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('a discard while the temporary file is being opened leaves nothing behind', async (t) => {
  const dir = tempDir(t);
  const f = new AtomicFile(path.join(dir, 'out.ndjson'));
  const opening = f.open();
  f.discard();
  await t.rejects(opening);
  t.same(fs.readdirSync(dir), []);
  await t.rejects(f.append('x'));
  t.same(fs.readdirSync(dir), []);
});

t.test('a discard while data is being appended leaves nothing behind', async (t) => {
  const dir = tempDir(t);
  const f = new AtomicFile(path.join(dir, 'out.ndjson'));
  const appending = f.append('a line\n'.repeat(10000));
  f.discard();
  await appending.catch(() => undefined);
  t.same(fs.readdirSync(dir), []);
});

t.test('commit renames the complete file; a later discard keeps it', async (t) => {
  const dir = tempDir(t);
  const f = new AtomicFile(path.join(dir, 'out.ndjson'));
  await f.append('one\n');
  await f.close();
  await f.append('two\n');
  await f.commit();
  f.discard();
  t.same(fs.readdirSync(dir), ['out.ndjson']);
  t.equal(fs.readFileSync(path.join(dir, 'out.ndjson'), 'utf8'), 'one\ntwo\n');
});

t.test('a path naming a FIFO (--errors >(…), /dev/stderr) is written in place, not replaced by a file', async (t) => {
  const dir = tempDir(t);
  const fifo = path.join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  const read = new Promise<string>((resolve, reject) => {
    let s = '';
    fs.createReadStream(fifo, 'utf8').on('data', (d) => (s += d)).on('end', () => resolve(s)).on('error', reject);
  });
  const f = new AtomicFile(fifo);
  await f.append('one\n');
  await f.append('two\n');
  await f.commit();
  t.equal(await read, 'one\ntwo\n');
  t.ok(fs.statSync(fifo).isFIFO(), 'still a FIFO');
  t.same(fs.readdirSync(dir), ['pipe'], 'no temporary file');
});
