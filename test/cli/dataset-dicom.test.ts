import fs from 'node:fs';
import path from 'node:path';
import dicomParser from 'dicom-parser';
import t from 'tap';
import { loadKey } from '../../src/core/key.js';
import { Keyed } from '../../src/core/keyed.js';
import { KEY_A, runCli, sharedData } from '../helpers/run-cli.js';
import { checksumTree } from '../helpers/store-items.js';
import { readRecord, tempDir } from './fhir-store-helpers.js';

type Json = Record<string, unknown>;
const samples = path.join(sharedData, 'dicom-samples');
const keyed = new Keyed(loadKey({ env: { DEID_KEY: KEY_A } }).bytes);
const idOf = (stderr: string): string => /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr)![1]!;

function header(file: string): { pid?: string; study?: string; date?: string } {
  const ds = dicomParser.parseDicom(new Uint8Array(fs.readFileSync(file)), { untilTag: 'x7fe00010' });
  return { pid: ds.string('x00100020'), study: ds.string('x0020000d'), date: ds.string('x00080020') };
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const days = (a: string, b: string): number => {
  const d = (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, Number(s.slice(6, 8)));
  return Math.round((d(b) - d(a)) / 86_400_000);
};

/**
 * A dataset whose DICOM and FHIR describe the same patients: CT0012's study
 * has an ImagingStudy (subject p-img); rtplan's PatientID is p-ident's
 * identifier; emri_small has neither.
 */
function makeDataset(root: string): Record<string, { pid?: string; study?: string; date?: string }> {
  const files = { ct: 'multiframe/CT0012.explicit_little_endian.dcm', rt: 'rt/rtplan.dcm', mr: 'multiframe/emri_small.dcm' };
  fs.mkdirSync(path.join(root, 'dicom', 'pacs'), { recursive: true });
  fs.mkdirSync(path.join(root, 'fhir', 'ehr'), { recursive: true });
  const h: Record<string, { pid?: string; study?: string; date?: string }> = {};
  for (const [k, f] of Object.entries(files)) {
    fs.copyFileSync(path.join(samples, f), path.join(root, 'dicom', 'pacs', path.basename(f)));
    h[k] = header(path.join(samples, f));
  }
  const patients = [
    { resourceType: 'Patient', id: 'p-img', identifier: [{ value: 'MRN-1' }] },
    { resourceType: 'Patient', id: 'p-ident', identifier: [{ value: h.rt!.pid }] },
  ];
  const studies = [{ resourceType: 'ImagingStudy', id: 's1', identifier: [{ system: 'urn:dicom:uid', value: `urn:oid:${h.ct!.study}` }], status: 'available', subject: { reference: 'Patient/p-img' }, started: `${h.ct!.date!.slice(0, 4)}-${h.ct!.date!.slice(4, 6)}-${h.ct!.date!.slice(6, 8)}` }];
  const encounters = [{ resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/p-ident' }, period: { start: '2003-07-16' } }];
  fs.writeFileSync(path.join(root, 'fhir', 'ehr', 'Patient.ndjson'), patients.map((r) => JSON.stringify(r)).join('\n') + '\n');
  fs.writeFileSync(path.join(root, 'fhir', 'ehr', 'ImagingStudy.ndjson'), JSON.stringify(studies[0]) + '\n');
  fs.writeFileSync(path.join(root, 'fhir', 'ehr', 'Encounter.ndjson'), JSON.stringify(encounters[0]) + '\n');
  return h;
}

t.test('the same patient gets the same date shift and study UID in FHIR and DICOM', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  const h = makeDataset(src);
  t.ok(h.ct!.pid && h.rt!.pid && !h.mr!.pid, 'the samples have the PatientIDs this test relies on');
  const before = checksumTree(src);
  const dest = path.join(tmp, 'dest');
  const r = await runCli(['dataset', src, dest]);
  t.equal(r.code, 0, r.stderr);
  const rec = readRecord(path.join(dest, '.deid-operations'), idOf(r.stderr));
  t.same(Object.keys(rec.stores).sort(), ['dicom/pacs', 'fhir/ehr']);
  t.same(rec.stores['dicom/pacs'].counters, { success: 3, failure: 0, pending: 0 });
  t.same(Object.keys(rec.stores['dicom/pacs'].units).sort(), [h.ct!.study, h.mr!.study, h.rt!.study].sort(), 'one unit per study');

  const out = new Map<string, { pid?: string; study?: string; date?: string }>();
  for (const f of walk(path.join(dest, 'dicom', 'pacs'))) {
    const x = header(f);
    out.set(x.study!, x);
  }
  t.equal(out.size, 3);
  const fhirStudy = JSON.parse(fs.readFileSync(path.join(dest, 'fhir', 'ehr', 'ImagingStudy.ndjson'), 'utf8')) as Json;
  const newUid = String((fhirStudy.identifier as Json[])[0]!.value).slice('urn:oid:'.length);
  t.equal(newUid, keyed.uid(h.ct!.study!), 'FHIR carries the pseudonymous study UID');
  const ct = out.get(newUid);
  t.ok(ct, 'and the DICOM study has that same UID');

  const want = keyed.dateShiftDays('Patient/p-img');
  t.not(want, keyed.dateShiftDays(`PatientID/${h.ct!.pid!}`), 'the PatientID key would give another shift: the test can tell them apart');
  const fhirShift = Math.round((Date.parse(String(fhirStudy.started)) - Date.parse(`${h.ct!.date!.slice(0, 4)}-${h.ct!.date!.slice(4, 6)}-${h.ct!.date!.slice(6, 8)}`)) / 86_400_000);
  t.equal(fhirShift, want, 'FHIR ImagingStudy.started shifted by the patient key');
  t.equal(days(h.ct!.date!, ct!.date!), want, 'DICOM StudyDate shifted by the same days');

  const rt = out.get(keyed.uid(h.rt!.study!));
  const enc = JSON.parse(fs.readFileSync(path.join(dest, 'fhir', 'ehr', 'Encounter.ndjson'), 'utf8')) as Json;
  const encShift = Math.round((Date.parse(String((enc.period as Json).start)) - Date.parse('2003-07-16')) / 86_400_000);
  t.equal(encShift, keyed.dateShiftDays('Patient/p-ident'));
  t.equal(days(h.rt!.date!, rt!.date!), encShift, 'a PatientID equal to a FHIR identifier links the patient');
  const outPatients = fs.readFileSync(path.join(dest, 'fhir', 'ehr', 'Patient.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);
  const pseudo = outPatients.flatMap((p) => ((p.identifier as Json[]) ?? []).map((i) => i.value));
  t.ok(rt!.pid && rt!.pid !== h.rt!.pid && pseudo.includes(rt!.pid), 'and PatientID gets the pseudonym its FHIR identifier got');

  const mr = out.get(keyed.uid(h.mr!.study!));
  t.equal(days(h.mr!.date!, mr!.date!), keyed.dateShiftDays(`StudyInstanceUID/${h.mr!.study!}`), 'unresolved: the DICOM engine keeps its own key');
  t.same(checksumTree(src), before, 'the source dataset is unchanged');
});

t.test('a config with only a fhir part leaves the DICOM stores out, and the other way round', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  makeDataset(src);
  const cfg = path.join(tmp, 'fhir-only.json');
  fs.writeFileSync(cfg, '{"fhir":{}}');
  const a = await runCli(['dataset', src, path.join(tmp, 'a'), '-c', cfg]);
  t.equal(a.code, 0, a.stderr);
  t.notOk(fs.existsSync(path.join(tmp, 'a', 'dicom')));
  t.ok(fs.existsSync(path.join(tmp, 'a', 'fhir', 'ehr', 'Patient.ndjson')));
  const cfg2 = path.join(tmp, 'dicom-only.json');
  fs.writeFileSync(cfg2, '{"dicom":{}}');
  const b = await runCli(['dataset', src, path.join(tmp, 'b'), '-c', cfg2]);
  t.equal(b.code, 0, b.stderr);
  t.notOk(fs.existsSync(path.join(tmp, 'b', 'fhir')));
  t.equal(walk(path.join(tmp, 'b', 'dicom', 'pacs')).length, 3);
});

t.test('a DICOM file that is not DICOM is a counted failure, not a stop', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  makeDataset(src);
  fs.writeFileSync(path.join(src, 'dicom', 'pacs', 'junk.dcm'), Buffer.alloc(300, 0x41));
  fs.copyFileSync(path.join(samples, 'edge-cases/MR_truncated.dcm'), path.join(src, 'dicom', 'pacs', 'MR_truncated.dcm'));
  const r = await runCli(['dataset', src, path.join(tmp, 'd')]);
  t.equal(r.code, 3, 'completed with failures');
  const rec = readRecord(path.join(tmp, 'd', '.deid-operations'), idOf(r.stderr));
  const c = rec.stores['dicom/pacs'].counters;
  t.equal(c.success, 3);
  t.ok(c.failure >= 1, `${c.failure} failed`);
  const lines = fs.readFileSync(rec.errorLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);
  t.equal(lines.length, rec.counters.failure, 'every failure is in the error log');
  t.ok(lines.every((l) => typeof l.code === 'string' && String(l.file).includes('src')), 'with a code and the file');
});
