import path from 'node:path';
import t from 'tap';
import { ok, type Failed, type Item } from '../../src/core/record.js';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { searchableTypes } from '../../src/stores/rest-reader.js';
import { startFhirServer } from '../helpers/fhir-server.js';
import { sharedData } from '../helpers/run-cli.js';
import { byKey, collect, fails, oks, readSource, withoutMeta, writeAll } from '../helpers/store-items.js';

type Json = Record<string, unknown>;
const synthea = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients');
const keyOf = (r: Json): string => `${String(r.resourceType)}/${String(r.id)}`;
const noMeta = (m: Map<string, Json>): Map<string, Json> => new Map([...m].map(([k, v]) => [k, withoutMeta(v)]));

t.test('batch Bundles of PUTs; reads page by page over the types the server lists', async (t) => {
  const server = await startFhirServer();
  t.teardown(() => server.close());
  const store = await openFhirStore(`${server.base}/`, { rest: { pageSize: 7 } });
  t.equal(store.kind, 'rest');
  const source = [...(await readSource(path.join(synthea, 'Organization.ndjson'))), ...(await readSource(path.join(synthea, 'Device.ndjson')))];
  const w = store.writer({ batchSize: 10 });
  await writeAll(source, w);
  t.equal(w.written, source.length);
  t.equal(w.failedCount, 0);
  const before = server.requests;
  const back = await collect(store.reader());
  t.same(fails(back), []);
  t.same(noMeta(byKey(oks(back))), noMeta(byKey(oks(source))));
  const orgs = oks(source).filter((r) => r.resourceType === 'Organization').length;
  t.ok(server.requests - before > Math.ceil(orgs / 7), 'Organization took several pages');
  for (const r of oks(back)) t.type((r.meta as Json | undefined)?.versionId, 'string');
  t.match(back[0]!.loc.file, new RegExp(`^http://127\\.0\\.0\\.1:\\d+/fhir#(Device|Organization)/`));
});

t.test('types option instead of metadata; writes replace by id', async (t) => {
  const server = await startFhirServer();
  t.teardown(() => server.close());
  const store = await openFhirStore(server.base, { rest: { types: ['Patient'] } });
  const patients = oks(await readSource(path.join(synthea, 'Patient.ndjson'))).slice(0, 5);
  await writeAll(patients.map((p, i) => ok(p, { file: 'p', line: i + 1 })), store.writer());
  await writeAll([ok({ ...patients[0], gender: 'unknown' }, { file: 'p', line: 1 })], store.writer());
  const back = oks(await collect(store.reader()));
  t.equal(back.length, 5);
  t.equal(back.find((r) => r.id === patients[0]!.id)?.gender, 'unknown');
});

t.test('transaction Bundles work the same', async (t) => {
  const server = await startFhirServer();
  t.teardown(() => server.close());
  const store = await openFhirStore(server.base, { rest: { bundleType: 'transaction', types: ['Practitioner'] } });
  const source = await readSource(path.join(synthea, 'Practitioner.ndjson'));
  const w = store.writer({ batchSize: 25 });
  await writeAll(source, w);
  t.equal(w.written, source.length);
  t.same(noMeta(byKey(oks(await collect(store.reader())))), noMeta(byKey(oks(source))));
});

t.test('resources filter reads by id; missing ones are failed items', async (t) => {
  const server = await startFhirServer();
  t.teardown(() => server.close());
  const store = await openFhirStore(server.base);
  const orgs = oks(await readSource(path.join(synthea, 'Organization.ndjson')));
  await writeAll(orgs.map((r, i) => ok(r, { file: 'o', line: i + 1 })), store.writer());
  const want = [keyOf(orgs[3]!), 'Organization/missing-1', 'not a ref', keyOf(orgs[0]!)];
  const items = await collect(store.reader({ resources: want }));
  t.same(items.map((i) => (i.kind === 'ok' ? keyOf(i.value as Json) : (i as Failed).code)), [keyOf(orgs[3]!), 'STORE_RESOURCE_NOT_FOUND', 'STORE_RESOURCE_NOT_FOUND', keyOf(orgs[0]!)]);
  t.match(items[1]!.loc.file, /#Organization\/missing-1$/);
  t.notMatch(items[2]!.loc.file, /not a ref/);
  const later = await collect(store.reader({ resources: [keyOf(orgs[3]!)], skipModifiedAfter: new Date(Date.now() - 60_000) }));
  t.same(later, [], 'written just now: after the cutoff');
  const kept = oks(await collect(store.reader({ skipModifiedAfter: new Date(Date.now() + 60_000), types: ['Organization'] })));
  t.equal(kept.length, orgs.length);
});

t.test('records that cannot be PUT fail without a request; input failures are forwarded', async (t) => {
  const server = await startFhirServer();
  t.teardown(() => server.close());
  const store = await openFhirStore(server.base);
  const items: Item[] = [
    ok({ resourceType: 'Patient', name: [{ text: 'NoIdSecret' }] }, { file: 'in', line: 1 }),
    ok({ resourceType: 'Patient', id: '../../metadata' }, { file: 'in', line: 2 }),
    ok({ resourceType: 'patient', id: 'x' }, { file: 'in', line: 3 }),
    ok('just a string', { file: 'in', line: 4 }),
    { kind: 'failed', code: 'TRUNCATED_JSON', reason: 'JSON document ends before it is complete', loc: { file: 'in', line: 5 } },
  ];
  const got: Failed[] = [];
  const w = store.writer({ onFailed: (f) => got.push(f) });
  await writeAll(items, w);
  t.equal(w.written, 0);
  t.same(got.map((f) => f.code), ['STORE_INVALID_RESOURCE', 'STORE_INVALID_RESOURCE', 'STORE_INVALID_RESOURCE', 'STORE_INVALID_RESOURCE', 'TRUNCATED_JSON']);
  t.equal(server.requests, 0, 'nothing was sent');
  t.notMatch(JSON.stringify(got), /Secret/);
});

t.test('CapabilityStatement: only searchable server types', async (t) => {
  t.same(searchableTypes({ rest: [{ mode: 'server', resource: [{ type: 'Patient' }, { type: 'Device', interaction: [{ code: 'read' }] }, { type: 'bad type' }, { type: 'Account', interaction: [{ code: 'search-type' }] }] }, { mode: 'client', resource: [{ type: 'Group' }] }] }), ['Account', 'Patient']);
  t.equal(searchableTypes({ resourceType: 'OperationOutcome' }), undefined);
  t.equal(searchableTypes(null), undefined);
});
