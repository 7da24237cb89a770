import fs from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { faultProxy, requireOrthanc, type Fault, type TestOrthanc } from '../helpers/orthanc.js';
import { runCli, sharedData, type CliResult } from '../helpers/run-cli.js';
import { folderInstances, makeStudies, orthancInstances } from './dataset-dicom-helpers.js';
import { readRecord, tempDir } from './fhir-store-helpers.js';

const SAMPLE = path.join(sharedData, 'dicom-samples/ts/CT_small.dcm');
const STUDIES = 3;
const PER_STUDY = 3;
const N = STUDIES * PER_STUDY;
const SECRET = 'Zdcm7r2vX9secretTOKENvalue';
const idOf = (stderr: string): string => /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr)![1]!;
const REFUSED: Fault = { status: 401, headers: { 'www-authenticate': 'Bearer' }, body: '{"error":"login"}' };

/** A DICOMweb proxy in front of Orthanc that passes only requests bearing the token while `open()` says so. */
async function guardedProxy(t: Test, orthanc: TestOrthanc, open: (method: string, url: string) => boolean = () => true) {
  const p = await faultProxy(orthanc, (_n, method, url, headers) => (headers.authorization === `Bearer ${SECRET}` && open(method, url) ? 'pass' : REFUSED));
  t.teardown(() => p.close());
  return p;
}

function noSecret(t: Test, r: CliResult, dirs: string[]): void {
  t.notMatch(r.stderr, SECRET, 'stderr');
  for (const d of dirs) {
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d, { recursive: true }) as string[]) {
      const p = path.join(d, f);
      if (fs.statSync(p).isFile() && !p.endsWith('.headers')) t.notOk(fs.readFileSync(p).includes(SECRET), `${f} holds no secret`);
    }
  }
}

t.test('dicom-store with DICOMweb stores that need a bearer token', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  makeStudies(SAMPLE, src, STUDIES, PER_STUDY);
  const hf = path.join(tmp, 'dst.headers');
  fs.writeFileSync(hf, `# PACS\nAuthorization: Bearer ${SECRET}\n`, { mode: 0o600 });

  await t.test('destination: refused at once without credentials (73, failed); --resume with --destination-headers stores every instance', async (t) => {
    const proxy = await guardedProxy(t, orthanc);
    const ops = path.join(tmp, 'ops-dst');
    const none = await runCli(['dicom-store', src, proxy.uri, '--operation-dir', ops]);
    t.equal(none.code, 73, none.stderr);
    t.match(none.stderr, /STORE_UNAUTHORIZED: .*HTTP 401 GET \/dicom-web\/studies/);
    t.equal(proxy.seen.length, 1, 'one refused request, no retries');
    const id = idOf(none.stderr);
    t.equal(readRecord(ops, id).status, 'failed');
    const ok = await runCli(['dicom-store', src, proxy.uri, '--operation-dir', ops, '--resume', id, '--destination-headers', hf]);
    t.equal(ok.code, 0, ok.stderr);
    t.same(readRecord(ops, id).counters, { success: N, failure: 0, pending: 0 });
    t.equal((await orthancInstances(orthanc.http)).size, N);
    noSecret(t, none, [ops]);
    noSecret(t, ok, [ops]);
  });

  await t.test('source: $DEID_SOURCE_AUTHORIZATION; a token revoked mid-run stops the run at the first refusal, and a resume completes it', async (t) => {
    let revoked = false;
    let instanceReads = 0;
    const proxy = await guardedProxy(t, orthanc, (method, url) => {
      if (method === 'GET' && /\/instances\/[0-9.]+$/.test(url) && ++instanceReads === 4) revoked = true;
      return !revoked;
    });
    const ops = path.join(tmp, 'ops-src');
    const out = path.join(tmp, 'out');
    const env = { DEID_SOURCE_AUTHORIZATION: `Bearer ${SECRET}` };
    const none = await runCli(['dicom-store', proxy.uri, path.join(tmp, 'out0'), '--operation-dir', path.join(tmp, 'ops0')]);
    t.equal(none.code, 73, none.stderr);
    t.match(none.stderr, /STORE_UNAUTHORIZED: .*HTTP 401 GET \/dicom-web\/studies/);
    t.notMatch(none.stderr, /\?/, 'no query string in the message');
    const first = await runCli(['dicom-store', proxy.uri, out, '--operation-dir', ops, '--report', path.join(tmp, 'report.json')], { env });
    t.equal(first.code, 73, first.stderr);
    t.match(first.stderr, /STORE_UNAUTHORIZED: .*HTTP 401 GET \/dicom-web\/studies\/[0-9.]+\/series\/[0-9.]+\/instances\/[0-9.]+/);
    t.equal(instanceReads, 4, 'no instance is asked for after the refusal');
    const id = idOf(first.stderr);
    const rec = readRecord(ops, id);
    t.equal(rec.status, 'failed');
    t.equal(rec.error.code, 'STORE_UNAUTHORIZED');
    t.equal(rec.counters.failure, 0, 'the refusal is no failure of an instance');
    revoked = false;
    instanceReads = 100;
    const ok = await runCli(['dicom-store', proxy.uri, out, '--operation-dir', ops, '--resume', id], { env });
    t.equal(ok.code, 0, ok.stderr);
    t.same(readRecord(ops, id).counters, { success: N, failure: 0, pending: 0 });
    t.equal(folderInstances(out).size, N);
    noSecret(t, first, [ops, out, tmp]);
    noSecret(t, ok, [ops, out]);
  });

  await t.test('--destination-headers for a folder, bad --timeout: usage errors before any output', async (t) => {
    const out = path.join(tmp, 'never');
    const a = await runCli(['dicom-store', src, out, '--destination-headers', hf]);
    t.equal(a.code, 64, a.stderr);
    t.match(a.stderr, /--destination-headers is for a store reached over http/);
    const b = await runCli(['dicom-store', src, out, '--timeout', 'soon']);
    t.equal(b.code, 64, b.stderr);
    t.notOk(fs.existsSync(out));
  });
});
