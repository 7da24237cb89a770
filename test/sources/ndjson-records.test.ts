import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Item } from '../../src/core/record.js';
import { LineSplitter } from '../../src/sources/line-splitter.js';
import { DEFAULT_MAX_DEPTH, NdjsonRecords, exceedsDepth, parseLine } from '../../src/sources/ndjson-records.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(repoRoot, '../shared/data/fhir-samples');
const loc = { file: 'in.ndjson', line: 7, offset: 99 };

t.test('a resource line → ok item with its location', async (t) => {
  const it = parseLine(Buffer.from('{"resourceType":"Patient","id":"p1"}'), loc);
  t.same(it, { kind: 'ok', value: { resourceType: 'Patient', id: 'p1' }, loc });
});

t.test('failure codes; reasons never quote the line', async (t) => {
  const cases: Array<[string, string]> = [
    ['{"resourceType":"Patient","name":[{"family":"Secretname"}', 'INVALID_JSON'],
    ["{'resourceType':'Patient','name':'Secretname'}", 'INVALID_JSON'],
    ['{"resourceType":"Patient"} trailing Secretname', 'INVALID_JSON'],
    ['["Secretname"]', 'NOT_AN_OBJECT'],
    ['"Secretname"', 'NOT_AN_OBJECT'],
    ['42', 'NOT_AN_OBJECT'],
    ['null', 'NOT_AN_OBJECT'],
    ['{"id":"Secretname"}', 'NO_RESOURCE_TYPE'],
    ['{"resourceType":42,"id":"Secretname"}', 'NO_RESOURCE_TYPE'],
    ['{"resourceType":"","id":"Secretname"}', 'NO_RESOURCE_TYPE'],
  ];
  for (const [line, code] of cases) {
    for (const form of [Buffer.from(line), line]) {
      const it = parseLine(form, loc);
      t.equal(it.kind, 'failed', line);
      if (it.kind !== 'failed') continue;
      t.equal(it.code, code, line);
      t.same(it.loc, loc);
      t.notMatch(JSON.stringify(it), /Secretname/, 'no record content in the failed item');
    }
  }
});

t.test('invalid UTF-8 is INVALID_ENCODING, not silently replaced', async (t) => {
  const bad = Buffer.concat([Buffer.from('{"resourceType":"Patient","id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
  t.match(parseLine(bad, loc), { kind: 'failed', code: 'INVALID_ENCODING' });
});

t.test('nesting: 100k levels is TOO_DEEP (arrays and objects), the limit itself passes', async (t) => {
  const n = 100_000;
  const deepArray = `{"resourceType":"Basic","x":${'['.repeat(n)}${']'.repeat(n)}}`;
  const deepObject = `{"resourceType":"Basic","x":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`;
  for (const line of [deepArray, deepObject]) {
    const it = parseLine(Buffer.from(line), loc);
    t.match(it, { kind: 'failed', code: 'TOO_DEEP', resourceType: 'Basic' });
  }
  // the resource is depth 1, so x may nest DEFAULT_MAX_DEPTH - 1 containers
  const pad = ' '.repeat(2 * DEFAULT_MAX_DEPTH);
  const atLimit = `{"resourceType":"Basic","x":${'['.repeat(DEFAULT_MAX_DEPTH - 1)}${']'.repeat(DEFAULT_MAX_DEPTH - 1)}}${pad}`;
  const overLimit = `{"resourceType":"Basic","x":${'['.repeat(DEFAULT_MAX_DEPTH)}${']'.repeat(DEFAULT_MAX_DEPTH)}}${pad}`;
  t.match(parseLine(atLimit, loc), { kind: 'ok' });
  t.match(parseLine(overLimit, loc), { kind: 'failed', code: 'TOO_DEEP' });
  t.match(parseLine(overLimit, loc, DEFAULT_MAX_DEPTH + 1), { kind: 'ok' }, 'limit is configurable');
  t.equal(exceedsDepth({ a: [{ b: [] }] }, 4), false);
  t.equal(exceedsDepth({ a: [{ b: [] }] }, 3), true);
});

t.test('every bulk fixture line parses as an ok resource of its file type', async (t) => {
  for (const d of ['bulk-synthea-30-patients', 'bulk-smart-10-patients']) {
    for (const name of fs.readdirSync(path.join(samples, d)).filter((n) => n.endsWith('.ndjson') && n !== 'log.ndjson')) {
      const type = name.split('.')[0];
      const lines = fs.readFileSync(path.join(samples, d, name), 'utf8').split('\n').filter((l) => l !== '');
      let okCount = 0;
      for (const [i, l] of lines.entries()) {
        const it = parseLine(Buffer.from(l), { file: name, line: i + 1 });
        if (it.kind === 'ok' && (it.value as { resourceType: string }).resourceType === type) okCount++;
      }
      t.equal(okCount, lines.length, `${d}/${name}`);
    }
  }
  // the bulk-data-client log in the SMART export is not resources
  const log = fs.readFileSync(path.join(samples, 'bulk-smart-10-patients/log.ndjson'), 'utf8').split('\n').filter(Boolean);
  t.ok(log.every((l) => parseLine(l, loc).kind === 'failed'), 'log.ndjson lines are NO_RESOURCE_TYPE');
});

t.test('the Transform passes failed items through and maps lines to items', async (t) => {
  const input = '{"resourceType":"Patient","id":"a"}\n' + 'x'.repeat(40) + '\n[1]\n{"resourceType":"Patient","id":"b"}\n';
  const items: Item[] = [];
  await pipeline(
    Readable.from([Buffer.from(input)]),
    new LineSplitter({ file: 'f', maxLineLength: 36 }),
    new NdjsonRecords({ file: 'f' }),
    async (src: AsyncIterable<Item>) => {
      for await (const it of src) items.push(it);
    },
  );
  t.same(
    items.map((i) => (i.kind === 'failed' ? [i.code, i.loc.line] : i.kind === 'ok' ? [(i.value as { id: string }).id, i.loc.line] : i.kind)),
    [
      ['a', 1],
      ['LINE_TOO_LONG', 2],
      ['NOT_AN_OBJECT', 3],
      ['b', 4],
    ],
  );
});
