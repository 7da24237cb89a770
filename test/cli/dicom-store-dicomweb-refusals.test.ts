// deid dicom-store against DICOMweb servers that refuse part of what is
// asked: the search of all instances (400/405/501: warned once, the duplicate
// check narrows to the study) and 403 on one instance or study (that fails
// STORE_FORBIDDEN, the run goes on, exit 3); a 403 on the first check stops.
import fs from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { faultProxy, requireOrthanc, type Fault, type TestOrthanc } from '../helpers/orthanc.js';
import { runCli, sharedData, type CliResult } from '../helpers/run-cli.js';
import { folderInstances, makeStudies, orthancInstances, testUid } from './dataset-dicom-helpers.js';
import { readRecord, tempDir } from './fhir-store-helpers.js';

const SAMPLE = path.join(sharedData, 'dicom-samples/ts/CT_small.dcm');
const FORBIDDEN: Fault = { status: 403, body: '{"error":"insufficient_scope"}' };
const idOf = (stderr: string): string => /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr)![1]!;
const errorLines = (file: string): Array<Record<string, unknown>> =>
  fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const warnings = (r: CliResult): string[] => r.stderr.split('\n').filter((l) => l.startsWith('deid: warning: '));

async function proxied(t: Test, orthanc: TestOrthanc, script: (method: string, url: string) => Fault) {
  const p = await faultProxy(orthanc, (_n, m, url) => script(m, url));
  t.teardown(() => p.close());
  return p;
}

/**
 * Nothing of the source instances in what the run printed or logged: no
 * patient id anywhere, no source UID on stderr, no SOPInstanceUID in the
 * error log (whose unit names the source study, as for every DICOM failure).
 */
function noPhi(t: Test, r: CliResult, files: string[] = []): void {
  const logged = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  t.notMatch(`${r.stderr}\n${logged}`, /PAT-\d/, 'no patient id');
  for (const label of ['0:study', '1:study', 'dup:sop', '1:0:sop', '1:1:sop']) t.notOk(r.stderr.includes(testUid(label)), `no source UID on stderr (${label})`);
  for (const label of ['dup:sop', '0:0:sop', '0:1:sop', '1:0:sop', '1:1:sop']) t.notOk(logged.includes(testUid(label)), `no SOPInstanceUID in the log (${label})`);
}

t.test('a destination without the search of all instances: one warning a run, the copy succeeds, a duplicate in another series of the study is still refused', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  // study 0: two series whose instances share a SOPInstanceUID; the second goes to a later run of its own
  makeStudies(SAMPLE, src, 2, 2, (s, i) => (s === 0 ? 'dup' : `${s}:${i}`));
  const later = path.join(tmp, 'later', 's00');
  fs.mkdirSync(later, { recursive: true });
  fs.renameSync(path.join(src, 's00', 'i01.dcm'), path.join(later, 'i01.dcm'));
  const proxy = await proxied(t, orthanc, (m, url) => (m === 'GET' && url.startsWith('/dicom-web/instances?') ? { status: 405 } : 'pass'));
  const ops = path.join(tmp, 'ops');
  const line = 'deid: warning: destination DICOMweb /dicom-web: the search of all instances (GET /instances) was refused (HTTP 405); duplicate SOPInstanceUIDs are now checked within each study only, duplicates across studies can no longer be checked';

  const first = await runCli(['dicom-store', src, proxy.uri, '--operation-dir', ops]);
  t.equal(first.code, 0, first.stderr);
  t.same(warnings(first), [line], 'warned once for three instances');
  t.same(readRecord(ops, idOf(first.stderr)).counters, { success: 3, failure: 0, pending: 0 });
  t.equal((await orthancInstances(orthanc.http)).size, 3);
  noPhi(t, first);

  const second = await runCli(['dicom-store', path.join(tmp, 'later'), proxy.uri, '--operation-dir', ops]);
  t.equal(second.code, 3, second.stderr);
  t.same(warnings(second), [line]);
  const rec = readRecord(ops, idOf(second.stderr));
  t.same(rec.counters, { success: 0, failure: 1, pending: 0 });
  t.same(rec.errors, { DICOM_DUPLICATE_SOP: 1 }, 'found by the search within the study');
  t.match(errorLines(rec.errorLog), [{ code: 'DICOM_DUPLICATE_SOP', file: path.join(later, 'i01.dcm') }]);
  t.ok(proxy.seen.some((s) => /^GET \/dicom-web\/studies\/[0-9.]+\/instances\?SOPInstanceUID=/.test(s)), 'the study was searched');
  t.equal((await orthancInstances(orthanc.http)).size, 3, 'the duplicate was not stored');
  noPhi(t, second, [rec.errorLog]);
});

t.test('a destination that refuses both searches: two warnings, every instance stored', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  makeStudies(SAMPLE, src, 2, 2);
  const proxy = await proxied(t, orthanc, (m, url) => (m === 'GET' && /^\/dicom-web\/(studies\/[0-9.]+\/)?instances\?/.test(url) ? { status: url.startsWith('/dicom-web/instances') ? 501 : 400 } : 'pass'));
  const r = await runCli(['dicom-store', src, proxy.uri, '--operation-dir', path.join(tmp, 'ops')]);
  t.equal(r.code, 0, r.stderr);
  t.equal(warnings(r).length, 2);
  t.match(warnings(r)[1], /^deid: warning: destination DICOMweb \/dicom-web: the search of a study's instances \(GET \/studies\/\{study\}\/instances\) was refused too \(HTTP 400\); duplicate SOPInstanceUIDs are no longer checked before storing$/);
  t.equal((await orthancInstances(orthanc.http)).size, 4);
});

t.test('a STOW refused with 403: that instance fails STORE_FORBIDDEN with its location, the others are stored, exit 3; --resume stores it', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  makeStudies(SAMPLE, src, 2, 2);
  let posts = 0;
  let refuse = true;
  const proxy = await proxied(t, orthanc, (m) => (m === 'POST' && ++posts === 2 && refuse ? FORBIDDEN : 'pass'));
  const ops = path.join(tmp, 'ops');
  const r = await runCli(['dicom-store', src, proxy.uri, '--operation-dir', ops]);
  t.equal(r.code, 3, r.stderr);
  const id = idOf(r.stderr);
  const rec = readRecord(ops, id);
  t.equal(rec.status, 'completed-with-failures');
  t.same(rec.counters, { success: 3, failure: 1, pending: 0 }, 'in = out + failed');
  t.same(rec.errors, { STORE_FORBIDDEN: 1 });
  const log = errorLines(rec.errorLog);
  t.equal(log.length, 1);
  t.match(log[0], { code: 'STORE_FORBIDDEN', file: /\/src\/s0[01]\/i0[01]\.dcm$/, reason: /HTTP 403 POST \/dicom-web\/studies$/ });
  t.ok(fs.existsSync(log[0]!.file as string), 'the location is the source file of the refused instance');
  t.equal(posts, 4, 'the refusal is not retried');
  t.equal((await orthancInstances(orthanc.http)).size, 3);
  t.notMatch(r.stderr, /insufficient_scope/, 'the answer is not echoed');
  noPhi(t, r, [rec.errorLog]);

  refuse = false;
  const again = await runCli(['dicom-store', src, proxy.uri, '--operation-dir', ops, '--resume', id]);
  t.equal(again.code, 0, again.stderr);
  t.equal(readRecord(ops, id).counters.pending, 0);
  t.equal((await orthancInstances(orthanc.http)).size, 4, 'the refused instance is stored on resume');
});

t.test('a 403 on the first check of the destination stops the run before anything is written (73, STORE_UNAUTHORIZED)', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  makeStudies(SAMPLE, src, 1, 2);
  const proxy = await proxied(t, orthanc, (m, url) => (m === 'GET' && url.startsWith('/dicom-web/studies?') ? FORBIDDEN : 'pass'));
  const ops = path.join(tmp, 'ops');
  const r = await runCli(['dicom-store', src, proxy.uri, '--operation-dir', ops]);
  t.equal(r.code, 73, r.stderr);
  t.match(r.stderr, /STORE_UNAUTHORIZED: .*HTTP 403 GET \/dicom-web\/studies/);
  t.same(proxy.seen, ['GET /dicom-web/studies?limit=1'], 'one request, no STOW');
  const rec = readRecord(ops, idOf(r.stderr));
  t.equal(rec.status, 'failed');
  t.equal(rec.error.code, 'STORE_UNAUTHORIZED');
  t.equal(rec.counters.failure, 0);
});

t.test('a DICOMweb source that refuses one study\'s series (403): that study fails STORE_FORBIDDEN, the others are copied, exit 3', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  makeStudies(SAMPLE, src, 3, 2);
  const load = await runCli(['dicom-store', src, orthanc.uri, '--operation-dir', path.join(tmp, 'ops0')]);
  t.equal(load.code, 0, load.stderr);
  // the source is what the first run stored: its UIDs are the loaded ones
  const studies = (await (await fetch(`${orthanc.http}/dicom-web/studies`, { headers: { accept: 'application/dicom+json' } })).json() as Array<Record<string, { Value: string[] }>>).map((s) => s['0020000D']!.Value[0]!).sort();
  t.equal(studies.length, 3);
  const refused = studies[1]!;
  const proxy = await proxied(t, orthanc, (m, url) => (m === 'GET' && url.startsWith(`/dicom-web/studies/${refused}/series?`) ? FORBIDDEN : 'pass'));
  const out = path.join(tmp, 'out');
  const ops = path.join(tmp, 'ops');
  const r = await runCli(['dicom-store', proxy.uri, out, '--operation-dir', ops]);
  t.equal(r.code, 3, r.stderr);
  const rec = readRecord(ops, idOf(r.stderr));
  t.same(rec.errors, { STORE_FORBIDDEN: 1 });
  t.match(errorLines(rec.errorLog), [{ code: 'STORE_FORBIDDEN', file: `${proxy.uri}/studies/${refused}/series`, reason: /HTTP 403 GET \/dicom-web\/studies\/[0-9.]+\/series$/ }]);
  t.equal(folderInstances(out).size, 4, 'the two other studies are copied');
  t.same(warnings(r), [], 'no warning: the source is not written to');
});
