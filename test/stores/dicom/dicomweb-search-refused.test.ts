// A server without the QIDO-RS search of all instances (400, 405 or 501):
// the duplicate check before a STOW falls back to the study's instances,
// then to none, warning once per step; no write fails because of it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { openDicomStore } from '../../../src/stores/dicom/open-dicom-store.js';
import type { DicomStore } from '../../../src/stores/dicom/types.js';
import { makeStudies, testUid } from '../../cli/dataset-dicom-helpers.js';
import { faultProxy, requireOrthanc, type Fault } from '../../helpers/orthanc.js';
import { sharedData } from '../../helpers/run-cli.js';
import { tempDir } from './fixtures.js';

const SAMPLE = path.join(sharedData, 'dicom-samples/ts/CT_small.dcm');
const ALL = /^\/dicom-web\/instances\?/;
const IN_STUDY = /^\/dicom-web\/studies\/[0-9.]+\/instances\?/;
const code = (e: unknown) => (e as { code?: string }).code;

/** 3 studies × 2 instances, each in its own series; the two of study 0 share one SOPInstanceUID. */
async function source(t: Test): Promise<{ dup: Buffer; others: Buffer[] }> {
  const dir = await tempDir(t);
  const files = makeStudies(SAMPLE, dir, 3, 2, (s, i) => (s === 0 ? 'dup' : `${s}:${i}`));
  const dup = files.find((f) => f.endsWith(path.join('s00', 'i01.dcm')))!;
  return { dup: readFileSync(dup), others: files.filter((f) => f !== dup).map((f) => readFileSync(f)) };
}

async function setup(t: Test, refuse: (url: string) => Fault | undefined) {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return undefined;
  const proxy = await faultProxy(orthanc, (_n, m, url) => (m === 'GET' && refuse(url)) || 'pass');
  t.teardown(() => proxy.close());
  const warnings: string[] = [];
  const store = openDicomStore(proxy.uri, { retry: { attempts: 1 }, onWarning: (m) => warnings.push(m) });
  t.teardown(() => store.close());
  const seen = (re: RegExp) => proxy.seen.filter((s) => re.test(s.slice(s.indexOf(' ') + 1))).length;
  return { orthanc, proxy, store, warnings, seen };
}

/** Every write at once: the refusal reaches several writes in flight, none may fail for it. */
const writeAll = (store: DicomStore, all: Buffer[]) => Promise.all(all.map((b) => store.write(b)));

function noUids(t: Test, warnings: string[]): void {
  const text = warnings.join('\n');
  for (const label of ['dup', '0', '1', '2']) t.notMatch(text, testUid(`${label}:sop`), 'no SOPInstanceUID in the warnings');
  t.notMatch(text, testUid('0:study'), 'no StudyInstanceUID in the warnings');
  t.notMatch(text, /PAT-|127\.0\.0\.1/, 'no patient id, no host');
}

for (const status of [400, 405, 501]) {
  t.test(`all-instances search refused with ${status}: one warning, every write stored, a duplicate in another series of the study still refused`, async (t) => {
    const s = await setup(t, (url) => (ALL.test(url) ? { status } : undefined));
    if (!s) return;
    const src = await source(t);
    const refs = await writeAll(s.store, src.others);
    t.equal(refs.length, 5, 'five instances stored');
    t.equal(s.warnings.length, 1, 'warned once');
    t.equal(s.warnings[0], `DICOMweb /dicom-web: the search of all instances (GET /instances) was refused (HTTP ${status}); duplicate SOPInstanceUIDs are now checked within each study only, duplicates across studies can no longer be checked`);
    noUids(t, s.warnings);
    const allBefore = s.seen(ALL);
    t.ok(allBefore >= 1 && allBefore <= 5, `${allBefore} searches of all instances, each write's first at most`);

    const e = await s.store.write(src.dup).catch((e: unknown) => e);
    t.equal(code(e), 'DICOM_DUPLICATE_SOP', 'the same SOPInstanceUID in another series of the study is refused');
    t.equal(s.seen(ALL), allBefore, 'the refused search is not asked again');
    t.ok(s.seen(IN_STUDY) >= 6, 'the study\'s instances are searched instead');
    t.equal(s.warnings.length, 1, 'still one warning');
    const held = await (await fetch(`${s.orthanc.http}/instances`)).json() as string[];
    t.equal(held.length, 5, 'the duplicate was not sent');
  });
}

t.test('both searches refused: two warnings, then no search at all; every write is stored', async (t) => {
  const s = await setup(t, (url) => (ALL.test(url) ? { status: 405 } : IN_STUDY.test(url) ? { status: 501 } : undefined));
  if (!s) return;
  const src = await source(t);
  const refs = await writeAll(s.store, src.others);
  t.equal(refs.length, 5);
  t.same(s.warnings, [
    'DICOMweb /dicom-web: the search of all instances (GET /instances) was refused (HTTP 405); duplicate SOPInstanceUIDs are now checked within each study only, duplicates across studies can no longer be checked',
    'DICOMweb /dicom-web: the search of a study\'s instances (GET /studies/{study}/instances) was refused too (HTTP 501); duplicate SOPInstanceUIDs are no longer checked before storing',
  ]);
  noUids(t, s.warnings);
  const searches = s.seen(ALL) + s.seen(IN_STUDY);
  await s.store.write(src.others[0]!);
  t.equal(s.seen(ALL) + s.seen(IN_STUDY), searches, 'a later write searches nothing');
  t.equal(s.warnings.length, 2);
  const held = await (await fetch(`${s.orthanc.http}/instances`)).json() as string[];
  t.equal(held.length, 5);
});

t.test('other answers to the search keep their meaning: 404 is none, 402 rejects the write; no warning', async (t) => {
  let answer: Fault = { status: 404 };
  const s = await setup(t, (url) => (ALL.test(url) ? answer : undefined));
  if (!s) return;
  const src = await source(t);
  await s.store.write(src.others[0]!);
  answer = { status: 402 };
  const e = await s.store.write(src.others[1]!).catch((e: unknown) => e);
  t.equal(code(e), 'STORE_REJECTED');
  t.match((e as Error).message, /GET \/instances \(SOPInstanceUID search\) HTTP 402/);
  t.same(s.warnings, []);
  t.equal(s.seen(IN_STUDY), 0, 'no fallback');
});
