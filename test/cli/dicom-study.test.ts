// A folder in, a folder out: <StudyUID>/<SeriesUID>/<SOPInstanceUID>.dcm with
// the new UIDs, references consistent across a generated three-instance study.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { Keyed } from '../../src/core/keyed.js';
import { samplePath } from '../dicom/samples.js';
import { KEY, parseAny } from '../dicom/profile/helpers.js';
import { makeStudy } from '../dicom/profile/make-study.js';
import { runDicomCli } from './dicom-cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-dicom-study-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
const keyed = new Keyed(KEY);

function list(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) => fs.statSync(path.join(dir, p)).isFile()).sort();
}

t.test('three instances of one series land in one folder and still reference each other', async (t) => {
  const src = path.join(tmp, 'in', 'nested', 'deeper');
  fs.mkdirSync(src, { recursive: true });
  const study = await makeStudy(samplePath('ts/CT_small.dcm'), 3);
  study.bytes.forEach((b, i) => fs.writeFileSync(path.join(src, `img${i}.dcm`), b));
  fs.writeFileSync(path.join(tmp, 'in', 'README.txt'), 'not dicom');
  const out = path.join(tmp, 'out');
  const report = path.join(tmp, 'report.json');
  const r = await runDicomCli([path.join(tmp, 'in'), '-o', out, '--report', report]);
  t.equal(r.code, 0);
  t.match(r.stderr, /deid dicom: 3 in, 3 out, 0 failed/);
  const files = list(out);
  t.equal(files.length, 3, 'three files, no temporary left, README skipped');
  const first = parseAny(fs.readFileSync(samplePath('ts/CT_small.dcm')));
  const studyUid = keyed.uid(first.string('x0020000d')!);
  const seriesUid = keyed.uid(first.string('x0020000e')!);
  const expected = study.uids.map((u) => path.join(studyUid, seriesUid, `${keyed.uid(u)}.dcm`)).sort();
  t.same(files, expected, 'named by the new UIDs');
  const newUids = study.uids.map((u) => keyed.uid(u));
  for (const f of files) {
    const ds = parseAny(fs.readFileSync(path.join(out, f)));
    const sop = ds.string('x00080018')!;
    t.equal(path.basename(f, '.dcm'), sop);
    t.equal(ds.string('x00020003'), sop, 'meta agrees');
    const refs = (ds.elements.x00081140?.items ?? []).map((i) => i.dataSet!.string('x00081155')).sort();
    t.same(refs, newUids.filter((u) => u !== sop).sort(), 'references point at the other new instances');
  }
  const rep = JSON.parse(fs.readFileSync(report, 'utf8')) as { byType: Record<string, unknown>; actions: Record<string, number>; profile: string; options: string[] };
  t.same(rep.byType, { CT: { in: 3, out: 3, failed: 0 } });
  t.equal(rep.profile, 'BASIC');
  t.same(rep.options, ['retainLongModifiedDates']);
  t.equal(rep.actions['PatientName: emptied'], 3);
});

t.test('same input twice → the same files, byte for byte', async (t) => {
  const a = path.join(tmp, 'twice-a');
  const b = path.join(tmp, 'twice-b');
  await runDicomCli([samplePath('rt'), '-o', a]);
  await runDicomCli([samplePath('rt'), '-o', b]);
  const fa = list(a);
  t.ok(fa.length >= 3);
  t.same(list(b), fa);
  for (const f of fa) t.ok(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), f);
});

t.test('options and Google configs from the command line', async (t) => {
  const ct = samplePath('ts/CT_small.dcm');
  const orig = parseAny(fs.readFileSync(ct));
  const kept = await runDicomCli([ct, '-o', '-', '-q', '--option', 'retain-uids', '--option', 'retainDeviceIdentity']);
  const ds = parseAny(kept.stdout);
  t.equal(ds.string('x00080018'), orig.string('x00080018'), 'UIDs retained');
  t.equal(ds.string('x00081010'), orig.string('x00081010'), 'device identity retained');
  const off = await runDicomCli([ct, '-o', '-', '-q', '--option', 'no-retainLongModifiedDates']);
  t.equal(parseAny(off.stdout).elements.x00080020?.length, 0, 'without modified dates, StudyDate is emptied');
  const cfg = path.join(tmp, 'keep.yaml');
  fs.writeFileSync(cfg, 'dicom:\n  keepList:\n    tags: [PatientName, StudyDate]\n');
  const listed = parseAny((await runDicomCli([ct, '-o', '-', '-q', '-c', cfg])).stdout);
  t.equal(listed.string('x00100010'), orig.string('x00100010'));
  t.equal(listed.elements.x00100020, undefined);
});

t.test('quarantine by default, --allow-burned-in lets it through', async (t) => {
  const us = samplePath('us-burned-in/synthetic_US_burned_in_rgb.dcm');
  const q = await runDicomCli([us, '-o', path.join(tmp, 'q')]);
  t.equal(q.code, 3);
  t.match(q.stderr, /DICOM_BURNED_IN 1/);
  t.same(list(path.join(tmp, 'q')), []);
  const a = await runDicomCli([us, '-o', path.join(tmp, 'a'), '--allow-burned-in']);
  t.equal(a.code, 0);
  t.equal(list(path.join(tmp, 'a')).length, 1);
  const cfg = path.join(tmp, 'allow.yaml');
  fs.writeFileSync(cfg, 'deid:\n  dicom:\n    allowBurnedIn: true\n    options: [retainDeviceIdentity]\n');
  const c = await runDicomCli([us, '-o', path.join(tmp, 'c'), '-c', cfg]);
  t.equal(c.code, 0, 'deid.dicom.allowBurnedIn in the config');
  t.equal(list(path.join(tmp, 'c')).length, 1);
});
