import { Readable } from 'node:stream';
import t from 'tap';
import type { Item } from '../../src/core/record.js';
import { openInputs, sniffFormat, type OpenInputsOptions } from '../../src/sources/open-inputs.js';

async function fromStdin(chunks: Buffer[], opts: OpenInputsOptions = {}): Promise<Item[]> {
  const out: Item[] = [];
  for await (const it of openInputs(['-'], { ...opts, stdin: Readable.from(chunks, { objectMode: false }) })) out.push(it as Item);
  return out;
}

const good = (n: number): string =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ resourceType: 'Patient', id: `p${i}` }) + '\n').join('');

t.test('NDJSON whose first line is broken is still NDJSON: the bad line is logged, the others pass', async (t) => {
  // the last is cut inside an array: with the next line it would still begin a document
  for (const first of ['{"resourceType":"Patient","name":[{"family":"Doe"}],', 'not json at all', '{"resourceType":"Patient",,"id":"x"}', '{"resourceType":"Patient","name":[']) {
    const input = Buffer.from(first + '\n' + good(3));
    t.equal(sniffFormat(input, true, 1 << 20, true), 'ndjson', first);
    const items = await fromStdin([input]);
    t.equal(items.length, 4, `${first}: one item per line`);
    t.match(items[0], { kind: 'failed', code: 'INVALID_JSON', loc: { file: '-', line: 1, offset: 0 } });
    t.strictSame(
      items.slice(1).map((i) => (i.kind === 'ok' ? (i.value as { id: string }).id : i.kind)),
      ['p0', 'p1', 'p2'],
    );
  }
});

t.test('a pretty-printed document is still one document, even before its first complete line', async (t) => {
  const doc = JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient', id: 'a' } }] }, null, 2);
  t.equal(sniffFormat(Buffer.from(doc), true, 1 << 20, true), 'json');
  t.equal(sniffFormat(Buffer.from(doc.slice(0, 40)), false, 1 << 20, true), 'json');
  t.equal(sniffFormat(Buffer.from('{\n  "resourceType": "Patient",\n  "name": ['), true, 1 << 20, true), 'json', 'cut off: a truncated document');
});

t.test('NDJSON whose first line is longer than the sniff limit: every line is a record', async (t) => {
  const long = JSON.stringify({ resourceType: 'Binary', id: 'big', data: 'A'.repeat(5000) }) + '\n';
  const input = Buffer.from(long + good(2));
  t.equal(sniffFormat(input.subarray(0, 1000), false, 1000, true), 'ndjson');
  // read in pieces, as stdin comes: the limit is reached before the first newline
  const pieces = Array.from({ length: Math.ceil(input.length / 500) }, (_, i) => input.subarray(i * 500, (i + 1) * 500));
  const items = await fromStdin(pieces, { sniffLimit: 1000 });
  t.strictSame(
    items.map((i) => (i.kind === 'ok' ? (i.value as { id: string }).id : i.kind)),
    ['big', 'p0', 'p1'],
  );
  // a long one-line Bundle is still streamed as a document
  const bundle = Buffer.from(JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Binary', data: 'A'.repeat(5000) } }] }));
  t.equal(sniffFormat(bundle.subarray(0, 1000), false, 1000, true), 'json');
});

t.test('a first line cut inside an array, then one record: the record is not read as part of a document', async (t) => {
  const input = Buffer.from('{"resourceType":"Patient","name":[\n' + good(1));
  t.equal(sniffFormat(input, true, 1 << 20, true), 'ndjson');
  const items = await fromStdin([input]);
  t.same(items.map((i) => (i.kind === 'ok' ? (i.value as { id: string }).id : i.kind)), ['failed', 'p0']);
});
