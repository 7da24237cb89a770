import fs from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { startMisbehavingFhir, type Misbehaviour, type Request } from '../helpers/misbehaving-fhir.js';
import { runCli } from '../helpers/run-cli.js';
import { folderResources, readRecord, spawnDeid, tempDir } from './fhir-store-helpers.js';

type Json = Record<string, unknown>;
const MARK = 'Zqxmarker';
const idOf = (stderr: string): string => /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr)![1]!;

/** 150 Patients (family names carry the marker) and 1000 Observations whose text names them: read in pages of 100. */
function resources(): Json[] {
  const out: Json[] = [];
  for (let i = 0; i < 150; i++) out.push({ resourceType: 'Patient', id: `p${i}`, name: [{ family: `${MARK}${i}`, given: ['Ann'] }], birthDate: '1970-01-02' });
  for (let i = 0; i < 1000; i++) {
    out.push({ resourceType: 'Observation', id: `o${String(i).padStart(4, '0')}`, status: 'final', code: { text: 'visit' }, subject: { reference: `Patient/p${i % 150}` }, valueString: `seen ${MARK}${i % 150} today` });
  }
  return out;
}

async function serve(t: { teardown(fn: () => unknown): unknown }, how: (r: Request) => Misbehaviour) {
  const s = await startMisbehavingFhir(resources(), how);
  t.teardown(() => s.close());
  return s;
}

/** Nothing of a record's content in the operation's own files or on stderr. */
function noContent(t: Test, out: string, stderr: string): void {
  const ops = path.join(out, '.deid-operations');
  for (const f of fs.readdirSync(ops)) t.notMatch(fs.readFileSync(path.join(ops, f), 'utf8'), MARK, `${f}: no record content`);
  t.notMatch(stderr, MARK);
  for (const [k, line] of folderResources(out)) if (line.includes(MARK)) t.fail(`${k} carries a name`);
}

t.test('503, 429 with and without Retry-After, slow pages: bounded retries, then every resource is stored', async (t) => {
  const seen = new Map<string, number>();
  const s = await serve(t, (r) => {
    const k = `${r.method} ${r.rel}`;
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    if (r.type === 'Observation' && r.page === 1 && n <= 2) return { status: 503 };
    if (r.type === 'Observation' && r.page === 3 && n === 1) return { status: 429, headers: { 'retry-after': '1' } };
    if (r.type === 'Patient' && n === 1 && r.page === 0) return { status: 503, headers: { 'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT' } };
    if (r.type === 'Observation' && r.page === 5) return { delayMs: 1500 };
    return undefined;
  });
  const out = path.join(tempDir(t), 'out');
  const r = await runCli(['fhir-store', s.base, out]);
  t.equal(r.code, 0, r.stderr);
  const rec = readRecord(path.join(out, '.deid-operations'), idOf(r.stderr));
  t.equal(rec.status, 'succeeded');
  t.same(rec.counters, { success: 1150, failure: 0, pending: 0 });
  t.equal(folderResources(out).size, 1150);
  noContent(t, out, r.stderr);
});

t.test('a page that breaks off (HTML error page, expired cursor, links that go round): the type is left for --resume, which completes it', async (t) => {
  const breaks: Array<[string, Misbehaviour, string]> = [
    ['HTML error page', { status: 200, headers: { 'content-type': 'text/html' }, body: `<html>${MARK} proxy</html>` }, 'STORE_BAD_RESPONSE'],
    ['410 Gone (paging cursor expired)', { status: 410, body: JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', diagnostics: `${MARK}7 unknown` }] }) }, 'STORE_REJECTED'],
    ['next links that go round', { next: '/fhir/Observation?_count=100&_page=1&again=1' }, 'STORE_BAD_RESPONSE'],
  ];
  for (const [what, how, code] of breaks) {
    const state = { broken: true };
    const s = await serve(t, (r) => (state.broken && r.type === 'Observation' && (r.page ?? 0) >= 2 ? how : undefined));
    const out = path.join(tempDir(t), 'out');
    const r1 = await runCli(['fhir-store', s.base, out]);
    t.equal(r1.code, 3, `${what}: completed with failures`);
    const id = idOf(r1.stderr);
    const ops = path.join(out, '.deid-operations');
    const rec1 = readRecord(ops, id);
    t.equal(rec1.status, 'completed-with-failures', what);
    t.same(rec1.errors, { [code]: 1 }, what);
    t.equal(rec1.stores.default.units.Observation.done, false, `${what}: the type is not done`);
    t.equal(rec1.stores.default.units.Patient.done, true, what);
    const log1 = fs.readFileSync(rec1.errorLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);
    t.match(log1, [{ unit: 'Observation', code, file: `${s.base}#Observation`, reason: /stopped/ }], what);
    noContent(t, out, r1.stderr);

    state.broken = false;
    const r2 = await runCli(['fhir-store', s.base, out, '--resume', id]);
    t.equal(r2.code, 0, `${what}: the resume completes`);
    const rec2 = readRecord(ops, id);
    t.equal(rec2.status, 'succeeded', what);
    t.same(rec2.counters, { success: 1150, failure: 0, pending: 0 }, `${what}: in = out`);
    t.same(rec2.errors, {}, what);
    t.equal(fs.readFileSync(rec2.errorLog, 'utf8'), '', `${what}: the cured failure leaves the log`);
    const stored = folderResources(out); // throws on a duplicate
    t.equal(stored.size, 1150, `${what}: every resource once`);
    noContent(t, out, r2.stderr);
  }
});

t.test('the patients for the contextual pre-pass break off: the run stops before any output, nothing leaves unscrubbed', async (t) => {
  let patientPages = 0;
  // the pre-pass meets a non-FHIR second page of Patients; the main pass would not
  const s = await serve(t, (r) => (r.type === 'Patient' && r.page === 1 && ++patientPages === 1 ? { status: 200, body: 'upstream hiccup' } : undefined));
  const out = path.join(tempDir(t), 'out');
  const r = await runCli(['fhir-store', s.base, out]);
  t.equal(r.code, 73, r.stderr);
  t.match(r.stderr, /STORE_BAD_RESPONSE.*patients for contextual de-identification could not be read/);
  t.same(fs.readdirSync(out).filter((f) => f.endsWith('.ndjson')), [], 'nothing written');
  const rec = readRecord(path.join(out, '.deid-operations'), idOf(r.stderr));
  t.equal(rec.status, 'failed');
  // resumable: the store answers now, and the resume does the whole job
  const r2 = await runCli(['fhir-store', s.base, out, '--resume', rec.id]);
  t.equal(r2.code, 0, r2.stderr);
  t.equal(folderResources(out).size, 1150);
  noContent(t, out, r2.stderr);
});

t.test('SIGTERM while the source stalls: the run stops at once (143), and --resume completes it', async (t) => {
  const state = { stall: true };
  const s = await serve(t, (r) => (state.stall && r.type === 'Observation' && r.page === 4 ? 'hang' : undefined));
  const out = path.join(tempDir(t), 'out');
  const run = spawnDeid(['fhir-store', s.base, out]);
  const id = await run.id;
  // wait until the stalled request is in
  while (!s.requests.some((r) => r.type === 'Observation' && r.page === 4)) await new Promise((r) => setTimeout(r, 20));
  const killedAt = Date.now();
  run.kill('SIGTERM');
  const done = await run.done;
  const took = Date.now() - killedAt;
  t.equal(done.code, 143, done.stderr);
  t.ok(took < 5000, `stopped ${took} ms after the signal (the request timeout is 60 s)`);
  const rec = readRecord(path.join(out, '.deid-operations'), id);
  t.equal(rec.status, 'cancelled');
  state.stall = false;
  const r2 = await runCli(['fhir-store', s.base, out, '--resume', id]);
  t.equal(r2.code, 0, r2.stderr);
  t.equal(folderResources(out).size, 1150);
  t.same(readRecord(path.join(out, '.deid-operations'), id).counters, { success: 1150, failure: 0, pending: 0 });
});

t.test('into a misbehaving FHIR server: refusals with PHI in their diagnostics are counted per record, never quoted', async (t) => {
  const src = await serve(t, () => undefined);
  const dstState = { posts: 0 };
  const dst = await serve(t, (r) => {
    if (r.method !== 'POST') return undefined;
    dstState.posts++;
    if (dstState.posts === 1) return { status: 503 };
    if (dstState.posts === 2) return 'cut-mid-body';
    if (dstState.posts === 3) return { status: 200, body: JSON.stringify({ resourceType: 'Bundle', type: 'batch-response', entry: Array.from({ length: 100 }, (_, i) => ({ response: { status: i === 0 ? '422 Unprocessable' : '201 Created', outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: `${MARK}1 is invalid` }] } } })) }) };
    return undefined;
  });
  const ops = path.join(tempDir(t), 'ops');
  const r = await runCli(['fhir-store', src.base, dst.base, '--operation-dir', ops]);
  t.equal(r.code, 3, r.stderr);
  const rec = readRecord(ops, idOf(r.stderr));
  t.same(rec.counters, { success: 1149, failure: 1, pending: 0 }, 'in = out + failed');
  t.same(rec.errors, { STORE_REJECTED: 1 });
  // the first batch went in with the answer cut short; its retry was refused one record: the tool goes by the last answer
  t.equal(dst.stored.size, 1150);
  for (const f of fs.readdirSync(ops)) t.notMatch(fs.readFileSync(path.join(ops, f), 'utf8'), MARK, `${f}: no record content`);
  t.notMatch(r.stderr, MARK);
  for (const v of dst.stored.values()) t.notMatch(JSON.stringify(v), MARK);
});

t.test('a destination whose answer to a batch cannot be read: those records are failures a --resume sends again', async (t) => {
  const src = await serve(t, () => undefined);
  const state = { posts: 0, garbled: true };
  const dst = await serve(t, (r) => (r.method === 'POST' && state.garbled && ++state.posts === 2 ? { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>ok</html>' } : undefined));
  const ops = path.join(tempDir(t), 'ops');
  const r1 = await runCli(['fhir-store', src.base, dst.base, '--operation-dir', ops]);
  t.equal(r1.code, 3, r1.stderr);
  const id = idOf(r1.stderr);
  const rec1 = readRecord(ops, id);
  t.same(rec1.counters, { success: 1050, failure: 100, pending: 0 }, 'in = out + failed');
  t.same(rec1.errors, { STORE_BAD_RESPONSE: 100 });
  t.equal(dst.stored.size, 1050, 'the garbled batch was not stored');
  state.garbled = false;
  const r2 = await runCli(['fhir-store', src.base, dst.base, '--operation-dir', ops, '--resume', id]);
  t.equal(r2.code, 0, r2.stderr);
  const rec2 = readRecord(ops, id);
  t.equal(rec2.status, 'succeeded');
  t.same(rec2.counters, { success: 1150, failure: 0, pending: 0 });
  t.equal(dst.stored.size, 1150, 'every resource in the destination');
  t.equal(fs.readFileSync(rec2.errorLog, 'utf8'), '');
});
