import fs from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { startMisbehavingFhir, type MisbehavingFhir, type Misbehaviour, type Request } from '../helpers/misbehaving-fhir.js';
import { runCli } from '../helpers/run-cli.js';
import { folderResources, readRecord, tempDir } from './fhir-store-helpers.js';

type Json = Record<string, unknown>;
const MARK = 'Zqv7marker';
const idOf = (stderr: string): string => /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr)![1]!;
const REFUSAL = JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', diagnostics: 'scope user/Observation.read missing' }] });

/** 30 Patients and 120 Observations whose text names them (the marker must never reach a log). */
function resources(): Json[] {
  const out: Json[] = [];
  for (let i = 0; i < 30; i++) out.push({ resourceType: 'Patient', id: `p${i}`, name: [{ family: `${MARK}${i}`, given: ['Ann'] }], birthDate: '1970-01-02' });
  for (let i = 0; i < 120; i++) out.push({ resourceType: 'Observation', id: `o${i}`, status: 'final', code: { text: 'visit' }, subject: { reference: `Patient/p${i % 30}` }, valueString: `seen ${MARK}${i % 30} today` });
  return out;
}

async function serve(t: Test, data: Json[], how: (r: Request) => Misbehaviour = () => undefined): Promise<MisbehavingFhir> {
  const s = await startMisbehavingFhir(data, how);
  t.teardown(() => s.close());
  return s;
}

/** The operation's files and stderr hold no record content. */
function noContent(t: Test, dirs: string[], stderr: string): void {
  t.notMatch(stderr, MARK, 'stderr');
  for (const d of dirs) for (const f of fs.readdirSync(d)) if (fs.statSync(path.join(d, f)).isFile()) t.notMatch(fs.readFileSync(path.join(d, f), 'utf8'), MARK, `${f}: no record content`);
}

const logOf = (file: string): Json[] => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);

t.test('a source that may not be searched for one type (403): that type fails STORE_FORBIDDEN, the others are stored, exit 3; --resume reads that type again', async (t) => {
  const state = { forbidden: true };
  const s = await serve(t, resources(), (r) => {
    if (r.type !== 'Observation') return undefined;
    // the next link's query carries a search value: it must not reach the log
    if (r.page === 0) return { next: `/fhir/Observation?_count=100&_page=1&subject.name=${MARK}` };
    return state.forbidden ? { status: 403, body: REFUSAL } : undefined;
  });
  const out = path.join(tempDir(t), 'out');
  const ops = path.join(out, '.deid-operations');
  const r1 = await runCli(['fhir-store', s.base, out]);
  t.equal(r1.code, 3, r1.stderr);
  const id = idOf(r1.stderr);
  const rec1 = readRecord(ops, id);
  t.equal(rec1.status, 'completed-with-failures');
  t.same(rec1.errors, { STORE_FORBIDDEN: 1 });
  t.equal(rec1.stores.default.units.Patient.done, true);
  t.match(rec1.stores.default.units.Observation, { done: false, retry: true });
  t.same(logOf(rec1.errorLog), [
    { store: 'default', unit: 'Observation', file: `${s.base}#Observation`, code: 'STORE_FORBIDDEN', reason: 'Store refused access to this resource type or resource (HTTP 403): reading Observation stopped: HTTP 403 GET /fhir/Observation', resourceType: 'Observation' },
  ]);
  t.equal(s.requests.filter((r) => r.type === 'Observation' && r.page === 1).length, 1, 'a 403 is not retried');
  t.equal(fs.readFileSync(path.join(out, 'Patient.ndjson'), 'utf8').split('\n').filter(Boolean).length, 30, 'the other type is stored');
  noContent(t, [ops], r1.stderr);

  state.forbidden = false;
  const r2 = await runCli(['fhir-store', s.base, out, '--resume', id]);
  t.equal(r2.code, 0, r2.stderr);
  const rec2 = readRecord(ops, id);
  t.equal(rec2.status, 'succeeded');
  t.same(rec2.counters, { success: 150, failure: 0, pending: 0 });
  t.same(rec2.errors, {});
  t.same(logOf(rec2.errorLog), [], 'the failure of the redone type is gone from the log');
  t.equal(folderResources(out).size, 150);
  noContent(t, [ops], r2.stderr);
});

t.test('named resources of a type the source refuses (403): each fails STORE_FORBIDDEN with its key, the others are read', async (t) => {
  const s = await serve(t, resources(), (r) => (r.method === 'GET' && r.rel.startsWith('/Observation/') ? { status: 403, body: REFUSAL } : undefined));
  const out = path.join(tempDir(t), 'out');
  const r = await runCli(['fhir-store', s.base, out, '--resources', 'Patient/p1,Observation/o2,Observation/o3,Patient/p2']);
  t.equal(r.code, 3, r.stderr);
  const rec = readRecord(path.join(out, '.deid-operations'), idOf(r.stderr));
  t.same(rec.counters, { success: 2, failure: 2, pending: 0 });
  t.same(
    logOf(rec.errorLog).map((l) => [l.unit, l.file, l.code, l.reason]),
    ['o2', 'o3'].map((o) => ['Observation', `${s.base}#Observation/${o}`, 'STORE_FORBIDDEN', `Store refused access to this resource type or resource (HTTP 403): HTTP 403 GET /fhir/Observation/${o}`]),
  );
  t.equal(folderResources(out).size, 2);
});

t.test('401 still stops the run at once; a 403 on the metadata or on the Patients the contextual pre-pass needs stops it too (73, STORE_FORBIDDEN)', async (t) => {
  const tmp = tempDir(t);
  const unauth = await serve(t, resources(), (r) => (r.type === 'Observation' ? { status: 401 } : undefined));
  const a = await runCli(['fhir-store', unauth.base, path.join(tmp, 'a')]);
  t.equal(a.code, 73, a.stderr);
  t.match(a.stderr, /STORE_UNAUTHORIZED: .*HTTP 401 GET \/fhir\/Observation/);

  const noMeta = await serve(t, resources(), (r) => (r.rel.startsWith('/metadata') ? { status: 403 } : undefined));
  const b = await runCli(['fhir-store', noMeta.base, path.join(tmp, 'b'), '-c', writeConfig(tmp, false)]);
  t.equal(b.code, 73, b.stderr);
  t.match(b.stderr, /STORE_FORBIDDEN: .*HTTP 403 GET \/fhir\/metadata/);

  const noPatients = await serve(t, resources(), (r) => (r.type === 'Patient' ? { status: 403 } : undefined));
  const c = await runCli(['fhir-store', noPatients.base, path.join(tmp, 'c')]);
  t.equal(c.code, 73, c.stderr);
  t.match(c.stderr, /STORE_FORBIDDEN: .*patients for contextual de-identification could not be read \(reading Patient stopped: HTTP 403 GET \/fhir\/Patient\)/);
  t.notOk(fs.existsSync(path.join(tmp, 'c', 'Observation.ndjson')), 'nothing written without the patients');
  // without contextual de-identification, the Patients are one failed type like any other
  const d = await runCli(['fhir-store', noPatients.base, path.join(tmp, 'd'), '-c', writeConfig(tmp, false)]);
  t.equal(d.code, 3, d.stderr);
  const rec = readRecord(path.join(tmp, 'd', '.deid-operations'), idOf(d.stderr));
  t.same(rec.errors, { STORE_FORBIDDEN: 1 });
  t.equal(fs.readFileSync(path.join(tmp, 'd', 'Observation.ndjson'), 'utf8').split('\n').filter(Boolean).length, 120);
});

function writeConfig(dir: string, contextual: boolean): string {
  const f = path.join(dir, `config-${contextual}.json`);
  fs.writeFileSync(f, JSON.stringify({ fhirFieldConfig: { profileType: 'BASIC', ...(contextual ? { options: { contextualDeid: {} } } : {}) } }));
  return f;
}

/** Bundles holding an Observation are refused with 403 (a write scope missing for that type), while `refuse` holds. */
function refusesObservations(state: { refuse: boolean }): (r: Request) => Misbehaviour {
  return (r) => (state.refuse && r.method === 'POST' && r.body?.includes('"resourceType":"Observation"') ? { status: 403, body: REFUSAL } : undefined);
}

t.test('a destination that refuses writes of one type (403): those records fail STORE_FORBIDDEN with their locations, the other types are stored, exit 3; --resume stores them', async (t) => {
  const tmp = tempDir(t);
  // one source file mixing both types, so that batches hold both
  const src = path.join(tmp, 'src');
  fs.mkdirSync(src);
  const data = resources();
  const mixed = [...data.slice(30, 90), ...data.slice(0, 30), ...data.slice(90)];
  fs.writeFileSync(path.join(src, 'mixed.ndjson'), mixed.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const state = { refuse: true };
  const dst = await serve(t, [], refusesObservations(state));
  const ops = path.join(tmp, 'ops');
  const r1 = await runCli(['fhir-store', src, dst.base, '--operation-dir', ops]);
  t.equal(r1.code, 3, r1.stderr);
  const id = idOf(r1.stderr);
  const rec1 = readRecord(ops, id);
  t.equal(rec1.status, 'completed-with-failures');
  t.same(rec1.counters, { success: 30, failure: 120, pending: 0 });
  t.same(rec1.errors, { STORE_FORBIDDEN: 120 });
  t.same([...dst.stored.keys()].filter((k) => !k.startsWith('Patient/')), [], 'no Observation stored');
  t.equal(dst.stored.size, 30, 'the Patients of the refused Bundles were sent again on their own and stored');
  const log = logOf(rec1.errorLog);
  const obsLines = mixed.map((r, i) => (r.resourceType === 'Observation' ? i + 1 : 0)).filter(Boolean);
  t.same(log.map((l) => l.line), obsLines, 'every refused record is in the log at its line, none dropped');
  t.ok(log.every((l) => l.code === 'STORE_FORBIDDEN' && l.file === path.join(src, 'mixed.ndjson') && l.resourceType === 'Observation' && l.reason === 'Store refused access to this resource type or resource (HTTP 403): HTTP 403 POST /fhir (Observation)'), 'code, location, type and reason');
  noContent(t, [ops], r1.stderr);

  state.refuse = false;
  const r2 = await runCli(['fhir-store', src, dst.base, '--operation-dir', ops, '--resume', id]);
  t.equal(r2.code, 0, r2.stderr);
  const rec2 = readRecord(ops, id);
  t.equal(rec2.status, 'succeeded');
  t.same(rec2.counters, { success: 150, failure: 0, pending: 0 });
  t.same(logOf(rec2.errorLog), []);
  t.equal(dst.stored.size, 150);
  noContent(t, [ops], r2.stderr);
});

t.test('a destination that refuses one type entry by entry (403 in the batch-response): those records fail STORE_FORBIDDEN, the run goes on', async (t) => {
  const tmp = tempDir(t);
  const src = await serve(t, resources());
  const dst = await serve(t, [], (r) => {
    if (r.method !== 'POST') return undefined;
    const b = JSON.parse(r.body ?? '{}') as { entry?: Array<{ resource: Json }> };
    const entry = (b.entry ?? []).map((e) => ({ response: { status: e.resource.resourceType === 'Observation' ? '403 Forbidden' : '201 Created' } }));
    return { status: 200, body: JSON.stringify({ resourceType: 'Bundle', type: 'batch-response', entry }) };
  });
  const ops = path.join(tmp, 'ops');
  const r = await runCli(['fhir-store', src.base, dst.base, '--operation-dir', ops]);
  t.equal(r.code, 3, r.stderr);
  const rec = readRecord(ops, idOf(r.stderr));
  t.same(rec.counters, { success: 30, failure: 120, pending: 0 });
  t.same(rec.errors, { STORE_FORBIDDEN: 120 });
  t.match(rec.stores.default.units.Observation, { done: false, retry: true }, 'a resume redoes the type');
  t.equal(rec.stores.default.units.Patient.done, true);
  const log = logOf(rec.errorLog);
  t.equal(new Set(log.map((l) => l.file)).size, 120, 'each refused record named by its own key');
  t.ok(log.every((l) => /#Observation\/o\d+$/.test(String(l.file)) && l.reason === 'Store refused access to this resource type or resource (HTTP 403): HTTP 403'));
  noContent(t, [ops], r.stderr);
});
