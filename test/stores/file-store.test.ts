import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { ok, type Failed, type Item } from '../../src/core/record.js';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { sharedData } from '../helpers/run-cli.js';
import { byKey, collect, fails, oks, readSource, writeAll } from '../helpers/store-items.js';

const synthea = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients');

function tempDir(t: { teardown(fn: () => void): void }): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-store-'));
  t.teardown(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

t.test('a folder store takes a whole export and reads it back equal', async (t) => {
  const dir = path.join(tempDir(t), 'store');
  const store = await openFhirStore(dir);
  await store.ensure();
  t.ok(fs.statSync(dir).isDirectory(), 'ensure creates the folder');
  const source = await readSource(synthea);
  const failed: Failed[] = [];
  const w = store.writer({ onFailed: (f) => failed.push(f) });
  await writeAll(source, w);
  t.equal(w.written, oks(source).length);
  t.equal(failed.length, fails(source).length);
  t.ok(fs.existsSync(path.join(dir, 'manifest.json')));
  const back = await collect(store.reader());
  t.same(fails(back), []);
  t.same(byKey(oks(back)), byKey(oks(source)));
});

t.test('existing output is not replaced unless asked', async (t) => {
  const dir = tempDir(t);
  const items = (await readSource(path.join(synthea, 'Device.ndjson'))).slice(0, 2);
  const store = await openFhirStore(dir);
  await writeAll(items, store.writer());
  await t.rejects(writeAll(items, store.writer()), { code: 'OUTPUT_EXISTS' });
  const w = store.writer({ overwrite: true });
  await writeAll(items, w);
  t.equal(w.written, 2);
});

t.test('resources filter: only the named ones, missing ones reported by id', async (t) => {
  const store = await openFhirStore(synthea);
  const all = oks(await readSource(path.join(synthea, 'Organization.ndjson')));
  const picked = [all[0]!, all[5]!, all[all.length - 1]!].map((r) => `Organization/${String(r.id)}`);
  const items = await collect(store.reader({ resources: [...picked, 'Organization/not-there', 'Patient/nope-1'] }));
  t.same(oks(items).map((r) => `Organization/${String(r.id)}`).sort(), [...picked].sort());
  const missing = fails(items);
  t.same(missing.map((f) => f.code), ['STORE_RESOURCE_NOT_FOUND', 'STORE_RESOURCE_NOT_FOUND']);
  t.match(missing[0]!.loc.file, /#Organization\/not-there$/);
  t.equal(missing[1]!.resourceType, 'Patient');
  const typed = await collect(store.reader({ resources: [...picked, 'Patient/nope-1'], types: ['Organization'] }));
  t.equal(oks(typed).length, 3);
  t.same(fails(typed), [], 'a ref outside the types is not looked for');
  const devices = oks(await collect(store.reader({ types: ['Device'] })));
  t.same(devices, oks(await readSource(path.join(synthea, 'Device.ndjson'))));
});

t.test('skipModifiedAfter looks at meta.lastUpdated', async (t) => {
  const dir = tempDir(t);
  const patients = oks(await readSource(path.join(synthea, 'Patient.ndjson'))).slice(0, 6);
  const stamped: Item[] = patients.map((p, i) => {
    const meta = i % 3 === 2 ? undefined : { lastUpdated: `2024-0${i + 1}-15T00:00:00Z` };
    return ok(meta ? { ...p, meta } : p, { file: 'x', line: i + 1 });
  });
  const store = await openFhirStore(dir);
  await writeAll(stamped, store.writer());
  const kept = oks(await collect(store.reader({ skipModifiedAfter: new Date('2024-03-01T00:00:00Z') })));
  // Jan and Feb stay, the two without meta stay, Apr and May go
  t.same(kept.map((r) => r.id).sort(), [0, 1, 2, 5].map((i) => patients[i]!.id).sort());
});

t.test('a missing folder is INPUT_NOT_FOUND', async (t) => {
  const store = await openFhirStore(path.join(tempDir(t), 'nope'));
  await t.rejects(collect(store.reader()), { code: 'INPUT_NOT_FOUND' });
});
