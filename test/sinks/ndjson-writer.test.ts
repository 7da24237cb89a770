import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Failed, Item } from '../../src/core/record.js';
import { NdjsonWriter } from '../../src/sinks/ndjson-writer.js';
import { openInputs } from '../../src/sources/open-inputs.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(repoRoot, '../shared/data/fhir-samples');

async function write(items: AsyncIterable<unknown> | Iterable<unknown>, opts = {}): Promise<{ text: string; failed: Failed[] }> {
  const failedItems: Failed[] = [];
  const w = new NdjsonWriter({ ...opts, onFailed: (f) => failedItems.push(f) });
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of w) chunks.push(c as Buffer);
  })();
  for await (const it of items) if (!w.write(it)) await new Promise((r) => w.once('drain', r));
  w.end();
  await done;
  return { text: Buffer.concat(chunks).toString('utf8'), failed: failedItems };
}

t.test('bulk NDJSON round-trips: one line per ok item, same JSON, same order', async (t) => {
  for (const d of ['bulk-synthea-30-patients', 'bulk-smart-10-patients']) {
    const folder = path.join(samples, d);
    for (const name of fs.readdirSync(folder).filter((n) => n.endsWith('.ndjson') && n !== 'log.ndjson')) {
      const file = path.join(folder, name);
      const { text, failed } = await write(openInputs([file]));
      const want = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.stringify(JSON.parse(l)) + '\n')
        .join('');
      t.equal(text, want, `${d}/${name}`);
      t.equal(failed.length, 0);
    }
  }
  // compact input that JSON.stringify reproduces exactly comes out byte-identical
  const cond = path.join(samples, 'bulk-synthea-30-patients/Condition.ndjson');
  t.equal((await write(openInputs([cond]))).text, fs.readFileSync(cond, 'utf8'));
});

t.test('failed items are left out of the output and handed to onFailed', async (t) => {
  const items: Item[] = [
    { kind: 'ok', value: { resourceType: 'Patient', id: 'a' }, loc: { file: 'f', line: 1 } },
    { kind: 'failed', code: 'INVALID_JSON', reason: 'Record is not valid JSON', loc: { file: 'f', line: 2 } },
    { kind: 'ok', value: { resourceType: 'Patient', id: 'b' }, loc: { file: 'f', line: 3 } },
  ];
  const { text, failed } = await write(items);
  t.equal(text, '{"resourceType":"Patient","id":"a"}\n{"resourceType":"Patient","id":"b"}\n');
  t.same(failed, [items[1]]);
});

t.test('a value that cannot be written as JSON is reported, not written, not thrown', async (t) => {
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  const items: Item[] = [
    { kind: 'ok', value: { resourceType: 'Basic', x: deep }, loc: { file: 'f', line: 1 } },
    { kind: 'ok', value: { resourceType: 'Basic', n: 10n }, loc: { file: 'f', line: 2 } },
    { kind: 'ok', value: ['not', 'a', 'resource'], loc: { file: 'f', line: 3 } },
    { kind: 'ok', value: { resourceType: 'Basic', id: 'fine' }, loc: { file: 'f', line: 4 } },
  ];
  const { text, failed } = await write(Readable.from(items));
  t.equal(text, '{"resourceType":"Basic","id":"fine"}\n');
  t.same(
    failed.map((f) => [f.code, f.loc.line, f.resourceType]),
    [
      ['TOO_DEEP', 1, 'Basic'],
      ['TRANSFORM_FAILED', 2, 'Basic'],
      ['NO_RESOURCE_TYPE', 3, undefined],
    ],
  );
});
