import t from 'tap';
import { ok, type Failed, type Item } from '../../src/core/record.js';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { startMisbehavingFhir, type Request } from '../helpers/misbehaving-fhir.js';
import { collect, writeAll } from '../helpers/store-items.js';

type Json = Record<string, unknown>;
const fast = { attempts: 3, baseDelayMs: 2, maxDelayMs: 10 };

function data(): Json[] {
  const out: Json[] = [];
  for (let i = 0; i < 5; i++) out.push({ resourceType: 'Patient', id: `p${i}` });
  for (let i = 0; i < 7; i++) out.push({ resourceType: 'Observation', id: `o${i}`, status: 'final' });
  for (let i = 0; i < 3; i++) out.push({ resourceType: 'Device', id: `d${i}` });
  return out;
}

const forbidsObservations = (r: Request) => (r.rel.startsWith('/Observation') || (r.method === 'POST' && r.body?.includes('"resourceType":"Observation"')) ? { status: 403 } : undefined);

t.test('reading: a type refused with 403 ends with one stopped STORE_FORBIDDEN failure naming the path only; the other types are read', async (t) => {
  const s = await startMisbehavingFhir(data(), forbidsObservations);
  t.teardown(() => s.close());
  const store = await openFhirStore(s.base, { rest: { retry: fast, pageSize: 2, types: ['Device', 'Observation', 'Patient'] } });
  const items = await collect(store.reader());
  t.same(items.filter((i) => i.kind === 'ok').map((i) => (i as { value: Json }).value.id), ['d0', 'd1', 'd2', 'p0', 'p1', 'p2', 'p3', 'p4']);
  const failures = items.filter((i): i is Failed => i.kind === 'failed');
  t.same(failures.map((f) => [f.code, f.loc.file, f.resourceType, f.stopped]), [['STORE_FORBIDDEN', `${s.base}#Observation`, 'Observation', true]]);
  t.match(failures[0]!.reason, /: reading Observation stopped: HTTP 403 GET \/fhir\/Observation$/, 'no query');
  t.equal(s.requests.filter((r) => r.type === 'Observation').length, 1, 'not retried');
  // by id: each refused resource fails on its own
  const byId = await collect(store.reader({ resources: ['Observation/o1', 'Patient/p2', 'Observation/o2'] }));
  t.same(byId.map((i: Item) => (i.kind === 'failed' ? [i.code, i.loc.file, i.resourceType] : (i as { value: Json }).value.id)), [
    ['STORE_FORBIDDEN', `${s.base}#Observation/o1`, 'Observation'],
    'p2',
    ['STORE_FORBIDDEN', `${s.base}#Observation/o2`, 'Observation'],
  ]);
});

t.test('writing: a Bundle refused with 403 is sent again type by type; the refused type fails STORE_FORBIDDEN record by record, in order, and the writer goes on', async (t) => {
  const s = await startMisbehavingFhir([], forbidsObservations);
  t.teardown(() => s.close());
  const store = await openFhirStore(s.base, { rest: { retry: fast } });
  const got: Failed[] = [];
  const w = store.writer({ batchSize: 4, onFailed: (f) => got.push(f) });
  const items = data().map((r, i) => ok(r, { file: 'src.ndjson', line: i + 1 }));
  // interleave the types
  const mixed = [items[0]!, items[5]!, items[12]!, items[6]!, items[1]!, items[7]!, items[8]!, items[13]!, items[2]!, items[9]!, items[10]!, items[11]!, items[3]!, items[4]!, items[14]!];
  await writeAll(mixed, w);
  t.equal(w.written, 8);
  t.same([...s.stored.keys()].sort(), ['Device/d0', 'Device/d1', 'Device/d2', 'Patient/p0', 'Patient/p1', 'Patient/p2', 'Patient/p3', 'Patient/p4']);
  t.same(got.map((f) => [f.loc.line, f.code, f.resourceType]), [6, 7, 8, 9, 10, 11, 12].map((l) => [l, 'STORE_FORBIDDEN', 'Observation']));
  t.ok(got.every((f) => f.reason === 'Store refused access to this resource type or resource (HTTP 403): HTTP 403 POST /fhir (Observation)'));
});
