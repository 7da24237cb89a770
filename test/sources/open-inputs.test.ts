import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { DeidError } from '../../src/core/errors.js';
import type { Item } from '../../src/core/record.js';
import { iterateInputs, manifestFileNames, openInputs, resolveInputs } from '../../src/sources/open-inputs.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.relative(process.cwd(), path.resolve(repoRoot, '../shared/data/fhir-samples'));
const synthea30 = path.join(samples, 'bulk-synthea-30-patients');
const smart10 = path.join(samples, 'bulk-smart-10-patients');

async function collect(src: AsyncIterable<unknown>): Promise<Item[]> {
  const out: Item[] = [];
  for await (const it of src) out.push(it as Item);
  return out;
}

function tempDir(t: { teardown(fn: () => void): void }): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-inputs-'));
  t.teardown(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

t.test('a bulk folder: every *.ndjson sorted by name, items carry the path as given', async (t) => {
  const resolved = await resolveInputs([synthea30]);
  const names = fs.readdirSync(synthea30).filter((n) => n.endsWith('.ndjson')).sort();
  t.same(resolved.map((r) => r.file), names.map((n) => path.join(synthea30, n)));
  t.ok(resolved.every((r) => r.format === 'ndjson' && !r.gzip));

  const items = await collect(openInputs([synthea30]));
  t.equal(items.length, 10994, 'PROVENANCE.md count');
  t.ok(items.every((i) => i.kind === 'ok'));
  // order: file by file, line by line
  let expectFile = 0;
  let lastLine = 0;
  let misplaced = 0;
  for (const it of items) {
    if (it.loc.file !== path.join(synthea30, names[expectFile])) {
      expectFile++;
      lastLine = 0;
    }
    const type = names[expectFile].split('.')[0];
    const rt = (it as { value: { resourceType: string } }).value.resourceType;
    if (it.loc.file !== path.join(synthea30, names[expectFile]) || it.loc.line! <= lastLine || rt !== type) misplaced++;
    lastLine = it.loc.line!;
  }
  t.equal(misplaced, 0, 'items come file by file in name order, line by line');
  t.equal(expectFile, names.length - 1);
});

t.test('the SMART export folder, files and folder mixed, in argument order', async (t) => {
  const patient = path.join(synthea30, 'Patient.ndjson');
  const items = await collect(iterateInputs([patient, smart10, patient]));
  const perFile = new Map<string, number>();
  for (const it of items) perFile.set(it.loc.file, (perFile.get(it.loc.file) ?? 0) + 1);
  t.equal(items[0].loc.file, patient);
  t.equal(items[items.length - 1].loc.file, patient);
  t.equal(perFile.get(path.join(smart10, 'Procedure.000.ndjson')), 2056);
  t.equal(perFile.get(path.join(smart10, 'DocumentReference.000.ndjson')), 1215);
  // log.ndjson is in the folder but holds export-log events, not resources
  const logItems = items.filter((i) => i.loc.file === path.join(smart10, 'log.ndjson'));
  t.same(logItems.map((i) => (i.kind === 'failed' ? i.code : i.kind)), ['NO_RESOURCE_TYPE', 'NO_RESOURCE_TYPE', 'NO_RESOURCE_TYPE', 'NO_RESOURCE_TYPE']);
  t.equal(items.filter((i) => i.kind === 'ok').length, 30 + 7160 + 30);
});

t.test('a manifest.json is honoured: its files, in its order, urls resolved to local names', async (t) => {
  const dir = tempDir(t);
  for (const n of ['Patient.ndjson', 'Device.ndjson', 'Organization.ndjson', 'Claim.ndjson']) {
    fs.copyFileSync(path.join(synthea30, n), path.join(dir, n));
  }
  fs.writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      transactionTime: '2020-05-06T15:48:09Z',
      request: 'https://example.org/fhir/$export',
      requiresAccessToken: false,
      output: [
        { type: 'Patient', url: 'https://example.org/bulkfiles/Patient.ndjson', count: 30 },
        { type: 'Organization', url: 'Organization.ndjson', count: 59 },
        { type: 'Device', url: 'https://example.org/bulk%20files/Device.ndjson?x=1', count: 2 },
      ],
      error: [],
    }),
  );
  const resolved = await resolveInputs([dir]);
  t.same(resolved.map((r) => path.basename(r.file)), ['Patient.ndjson', 'Organization.ndjson', 'Device.ndjson'], 'Claim is not listed');
  const items = await collect(openInputs([dir]));
  t.equal(items.length, 30 + 59 + 2);
  t.equal(items[0].loc.file, path.join(dir, 'Patient.ndjson'));

  // a listed file that is missing → INPUT_NOT_FOUND
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ output: [{ type: 'X', url: 'https://e.org/Missing.ndjson' }] }));
  await t.rejects(resolveInputs([dir]), { code: 'INPUT_NOT_FOUND' });
  // not a manifest
  fs.writeFileSync(path.join(dir, 'manifest.json'), '{"output": 5}');
  await t.rejects(resolveInputs([dir]), { code: 'READ_FAILED' });
  t.throws(() => manifestFileNames({ output: [{ url: 'https://e.org/' }] }), { code: 'READ_FAILED' });
  t.same(manifestFileNames({ output: [{ url: 'https://e.org/a/b/Obs.ndjson.gz' }] }), ['Obs.ndjson.gz']);
});

t.test('a non-existent input is INPUT_NOT_FOUND before anything is read', async (t) => {
  const missing = path.join(tempDir(t), 'nope.ndjson');
  const err = await resolveInputs([synthea30, missing]).catch((e: unknown) => e);
  t.ok(err instanceof DeidError);
  t.match(err, { code: 'INPUT_NOT_FOUND', loc: { file: missing } });
  // openInputs: the stream fails with no item emitted, even though the first input exists
  const s = openInputs([path.join(synthea30, 'Patient.ndjson'), missing]);
  const seen: Item[] = [];
  await t.rejects(
    (async () => {
      for await (const it of s) seen.push(it as Item);
    })(),
    { code: 'INPUT_NOT_FOUND' },
  );
  t.equal(seen.length, 0);
});

t.test('file formats from names', async (t) => {
  const dir = tempDir(t);
  const r = await resolveInputs(['-']);
  t.same(r, [{ file: '-', path: null, format: 'sniff', gzip: false }]);
  t.same(await resolveInputs([]), r, 'no argument = stdin');
  for (const [name, format, gzip] of [
    ['a.ndjson', 'ndjson', false],
    ['a.NDJSON.gz', 'ndjson', true],
    ['a.json', 'json', false],
    ['a.json.gz', 'json', true],
    ['a.txt', 'sniff', false],
  ] as const) {
    fs.writeFileSync(path.join(dir, name), '');
    t.match(await resolveInputs([path.join(dir, name)]), [{ format, gzip }], name);
  }
});

t.test('a consumer that stops early closes the input', async (t) => {
  const s = openInputs([synthea30]);
  let n = 0;
  for await (const _ of s) if (++n === 5) break;
  t.equal(n, 5);
  t.ok(s.destroyed);
});
