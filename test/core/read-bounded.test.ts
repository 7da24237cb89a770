import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { readBounded } from '../../src/core/read-bounded.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-bounded-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

t.test('a file up to the bound is read whole, byte for byte', async (t) => {
  const file = path.join(tmp, 'a.bin');
  const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) & 255));
  fs.writeFileSync(file, bytes);
  t.same(readBounded(file, 200_000), { bytes, over: false }, 'exactly the bound');
  t.equal(readBounded(file, 199_999).over, true, 'one byte more than the bound');
  fs.writeFileSync(path.join(tmp, 'empty'), '');
  t.same(readBounded(path.join(tmp, 'empty'), 10), { bytes: Buffer.alloc(0), over: false });
});

t.test('an endless device stops at the bound instead of taking all memory', async (t) => {
  t.same(readBounded('/dev/zero', 1 << 20), { bytes: Buffer.alloc(0), over: true });
});

t.test('a FIFO (what `-c <(…)` passes) is read to its end', async (t) => {
  const fifo = path.join(tmp, 'fifo');
  const made = spawn('mkfifo', [fifo]);
  await new Promise((r) => made.on('close', r));
  const writer = spawn('sh', ['-c', `printf '{"fhir":{}}' > '${fifo}'`]);
  t.same(readBounded(fifo, 1024).bytes.toString(), '{"fhir":{}}');
  await new Promise((r) => writer.on('close', r));
});

t.test('what open and read throw is thrown', async (t) => {
  t.throws(() => readBounded(path.join(tmp, 'missing'), 10), { code: 'ENOENT' });
  t.throws(() => readBounded(tmp, 10), { code: 'EISDIR' });
});
