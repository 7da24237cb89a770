// UIDs: every UI value outside the DICOM root → keyed.uid(original), at any
// depth and in the file meta, so references agree across instances.
import t from 'tap';
import { Keyed } from '../../../src/core/keyed.js';
import { NO_OPTIONS } from '../../../src/dicom/profile/options.js';
import { defaultDicomPlan } from '../../../src/dicom/profile/plan.js';
import { isDefinitionUidAttribute, isStandardUid, regenerateUidValue } from '../../../src/dicom/profile/uids.js';
import { keywordOf } from '../../../src/dicom/dictionary.js';
import { samplePath } from '../samples.js';
import { deid, KEY, parseAny, walk } from './helpers.js';
import { makeStudy } from './make-study.js';
import { decide, text } from './rule-helpers.js';

const keyed = new Keyed(KEY);

t.test('standard UIDs are the DICOM root; others are regenerated value by value', async (t) => {
  t.ok(isStandardUid('1.2.840.10008.5.1.4.1.1.2'));
  t.notOk(isStandardUid('1.2.840.113619.2.1'));
  const v = regenerateUidValue('1.2.3\\1.2.840.10008.1.2\\\\4.5', keyed);
  const parts = v.split('\\');
  t.equal(parts.length, 4);
  t.equal(parts[0], keyed.uid('1.2.3'));
  t.equal(parts[1], '1.2.840.10008.1.2');
  t.equal(parts[2], '');
  t.match(parts[3], /^2\.25\.\d+$/);
  t.ok(parts.every((p) => p.length <= 64));
});

t.test('a UI attribute the table does not list is regenerated too', async (t) => {
  const plan = defaultDicomPlan();
  // (0004,1432) PrivateRecordUID is not in Table E.1-1; (0008,1150) ReferencedSOPClassUID is a class UID.
  t.equal(text(decide(plan, 'PrivateRecordUID', 'UI', '1.2.3.4')), keyed.uid('1.2.3.4'));
  t.equal(decide(plan, 'ReferencedSOPClassUID', 'UI', '1.2.840.10008.5.1.4.1.1.2'), 'keep');
});

t.test('definition UIDs outside the DICOM root (coding schemes, context groups) are kept', async (t) => {
  const plan = defaultDicomPlan();
  t.equal(decide(plan, 'CodingSchemeUID', 'UI', '2.16.840.1.113883.6.96'), 'keep');
  t.equal(decide(plan, 'ContextUID', 'UI', '1.2.3.4.5'), 'keep');
  t.equal(decide(plan, 'ReferencedSOPClassUID', 'UI', '1.2.3.4.5'), 'keep', 'a private SOP class');
  t.not(decide(plan, 'ReferencedSOPInstanceUID', 'UI', '1.2.3.4.5'), 'keep');
});

t.test('text in a UI element is never kept: not behind the DICOM root, not in a definition attribute', async (t) => {
  const plan = defaultDicomPlan();
  t.notOk(isStandardUid('1.2.840.10008.Smith'));
  t.equal(text(decide(plan, 'FrameOfReferenceUID', 'UI', '1.2.840.10008.Smith')), keyed.uid('1.2.840.10008.Smith'));
  t.equal(text(decide(plan, 'SOPClassUID', 'UI', 'Smith^John')), keyed.uid('Smith^John'));
  t.equal(text(decide(plan, 'ReferencedSOPClassUID', 'UI', '1.2.840.10008.5.1.4.1.1.2\\Smith')), `1.2.840.10008.5.1.4.1.1.2\\${keyed.uid('Smith')}`);
  t.equal(decide(plan, 'SOPClassUID', 'UI', '1.2.840.10008.5.1.4.1.1.2'), 'keep');
});

t.test('an option that retains a UI attribute wins over UID regeneration', async (t) => {
  const plan = { ...defaultDicomPlan(), options: { ...NO_OPTIONS, retainDeviceIdentity: true } };
  t.equal(decide(plan, 'DeviceUID', 'UI', '1.2.3.4'), 'keep');
  t.equal(text(decide(defaultDicomPlan(), 'DeviceUID', 'UI', '1.2.3.4')), keyed.uid('1.2.3.4'));
});

t.test('Retain UIDs keeps them', async (t) => {
  const plan = { ...defaultDicomPlan(), options: { ...NO_OPTIONS, retainUIDs: true }, regenerateUids: false };
  t.equal(decide(plan, 'SOPInstanceUID', 'UI', '1.2.3.4'), 'keep');
  t.equal(decide(plan, 'UID', 'UI', '1.2.3.4'), 'keep');
});

t.test('no original instance UID survives anywhere in a sample with sequences', async (t) => {
  for (const name of ['sequences-private/priv_SQ.dcm', 'rt/rtstruct.dcm', 'rt/rtplan.dcm', 'sr/reportsi.dcm', 'ts/CT_small.dcm']) {
    const input = await import('node:fs').then((fs) => fs.readFileSync(samplePath(name)));
    const parsed = parseAny(input);
    // The meta's ImplementationClassUID names the writing software and is kept; a 1-digit "UID" proves nothing.
    const implementation = parsed.string('x00020012');
    const uidsIn = walk(parsed).filter((v) => v.vr === 'UI' && v.value && v.value.length >= 8 && !isStandardUid(v.value) && v.value !== implementation && !isDefinitionUidAttribute(keywordOf(v.tag)));
    const { bytes } = await deid(samplePath(name));
    const text = bytes.toString('latin1');
    for (const u of uidsIn) t.notOk(text.includes(u.value!), `${name}: ${u.tag.toString(16)} gone`);
    for (const u of uidsIn) if (u.value!.split('\\').length === 1) t.ok(text.includes(keyed.uid(u.value!)), `${name}: its keyed UID is there`);
  }
});

t.test('a three-instance study stays consistent after de-identification', async (t) => {
  const study = await makeStudy(samplePath('ts/CT_small.dcm'), 3);
  const outs = await Promise.all(study.bytes.map((b) => deid(b)));
  const ds = outs.map((o) => parseAny(o.bytes));
  const studyUids = new Set(ds.map((d) => d.string('x0020000d')));
  const seriesUids = new Set(ds.map((d) => d.string('x0020000e')));
  t.equal(studyUids.size, 1, 'one study');
  t.equal(seriesUids.size, 1, 'one series');
  const sops = ds.map((d) => d.string('x00080018')!);
  t.equal(new Set(sops).size, 3, 'three instances');
  sops.forEach((s, i) => t.equal(s, keyed.uid(study.uids[i]!)));
  ds.forEach((d, i) => {
    t.equal(parseAny(outs[i]!.bytes).string('x00020003'), sops[i], 'MediaStorageSOPInstanceUID = new SOPInstanceUID');
    const refs = (d.elements.x00081140?.items ?? []).map((it) => it.dataSet!.string('x00081155'));
    t.same(refs, sops.filter((_, j) => j !== i), `instance ${i + 1} references the new UIDs of the others`);
    t.equal(outs[i]!.prepared.shiftDays, outs[0]!.prepared.shiftDays, 'same patient, same shift');
  });
});
