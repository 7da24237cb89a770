import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Item } from '../../src/core/record.js';
import { BulkFolderWriter } from '../../src/sinks/bulk-folder-writer.js';
import { openInputs } from '../../src/sources/open-inputs.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(repoRoot, '../shared/data/fhir-samples');
const synthea30 = path.join(samples, 'bulk-synthea-30-patients');

t.test('a run aborted half way leaves no final file and no temporary file', async (t) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-abort-'));
  t.teardown(() => fs.rmSync(out, { recursive: true, force: true }));
  let n = 0;
  let tempSeen = 0;
  const src = openInputs([synthea30]);
  async function* failHalfWay(items: AsyncIterable<Item>): AsyncGenerator<Item> {
    for await (const it of items) {
      if (++n === 6000) {
        // by now the writer has flushed files to disk under temporary names
        tempSeen = fs.readdirSync(out).filter((f) => f.endsWith('.tmp')).length;
        throw new Error('upstream failure');
      }
      yield it;
    }
  }
  await t.rejects(pipeline(src, failHalfWay, new BulkFolderWriter({ dir: out })), { message: 'upstream failure' });
  t.ok(tempSeen > 0, `temporary files were being written (${tempSeen})`);
  t.same(fs.readdirSync(out), [], 'nothing left behind');
});

t.test('destroying the writer mid-Bundle removes the half-written Bundle.ndjson', async (t) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-abort-'));
  t.teardown(() => fs.rmSync(out, { recursive: true, force: true }));
  const w = new BulkFolderWriter({ dir: out });
  const big = 'x'.repeat(100_000);
  function* items(): Generator<Item> {
    yield { kind: 'start', head: { resourceType: 'Bundle' }, loc: { file: 'b' } };
    for (let i = 0; i < 50; i++) yield { kind: 'ok', value: { resource: { resourceType: 'Binary', data: big } }, loc: { file: 'b', entry: i } };
  }
  const src = Readable.from(items());
  src.pipe(w, { end: false });
  await new Promise((r) => src.on('end', r));
  await new Promise((r) => setTimeout(r, 50));
  t.ok(fs.readdirSync(out).some((f) => f.startsWith('.Bundle.ndjson.')), 'the Bundle was being written');
  const errors: Error[] = [];
  w.on('error', (e) => errors.push(e));
  w.destroy(new Error('cancelled'));
  await new Promise((r) => w.on('close', r));
  t.same(errors.map((e) => e.message), ['cancelled']);
  t.same(fs.readdirSync(out), []);
});
