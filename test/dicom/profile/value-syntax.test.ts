// TM, CS, IS and DS values the profile keeps must parse as their VR; one that
// does not is emptied, never passed through; and an attribute written under a
// VR PS3.6 does not give it is not shifted or cleaned as that VR. Found by
// fuzzing: a StudyDate written under explicit VR TM kept its full date
// unshifted, and a name in InstanceCreationTime came out as it was.
import fs from 'node:fs';
import t from 'tap';
import { parsesAsVR, readsAsVR } from '../../../src/dicom/profile/value-syntax.js';
import { defaultDicomPlan } from '../../../src/dicom/profile/plan.js';
import { samplePath } from '../samples.js';
import { deid, parseWithOracle } from './helpers.js';
import { decide, text } from './rule-helpers.js';

const plan = defaultDicomPlan();

t.test('PS3.5 syntax of TM, CS, IS, DS', async (t) => {
  for (const v of ['11', '1122', '112233', '112233.123456', '235960', '11:22:33.5', '112233 ', '10\\11', '']) t.ok(parsesAsVR('TM', v), `TM ${v}`);
  for (const v of ['20040119', '24', '1160', 'Jane Doe', '11h', '112233.1234567']) t.notOk(parsesAsVR('TM', v), `TM ${v}`);
  for (const v of ['ORIGINAL\\PRIMARY\\AXIAL', 'MONOCHROME2', 'YES', 'F ', 'A_B 1']) t.ok(parsesAsVR('CS', v), `CS ${v}`);
  for (const v of ['Jane Doe', 'SEVENTEEN_CHARS_XX', 'é']) t.notOk(parsesAsVR('CS', v), `CS ${v}`);
  for (const v of [' 12', '-3', '+4\\5']) t.ok(parsesAsVR('IS', v), `IS ${v}`);
  for (const v of ['1.5', 'twelve', '1234567890123']) t.notOk(parsesAsVR('IS', v), `IS ${v}`);
  for (const v of ['0.5', '-1.25e-3', ' .5 ', '12\\13.0']) t.ok(parsesAsVR('DS', v), `DS ${v}`);
  for (const v of ['1,5', 'Jane', '0.12345678901234567']) t.notOk(parsesAsVR('DS', v), `DS ${v}`);
  t.ok(parsesAsVR('LO', 'anything'), 'other VRs are not checked here');
});

t.test('Modified Dates: a TM keeps a time and empties anything else', async (t) => {
  t.equal(decide(plan, 'StudyTime', 'TM', '112233'), 'keep');
  t.equal(text(decide(plan, 'InstanceCreationTime', 'TM', 'Jane Doe')), '');
  t.equal(decide(plan, 'StudyDate', 'TM', '20040119'), 'remove', 'a date under VR TM is not kept');
});

t.test('Clean Descriptors: a CS that does not parse is emptied', async (t) => {
  const clean = { ...plan, options: { ...plan.options, cleanDescriptors: true } };
  t.equal(decide(clean, 'ReasonForTheAttributeModification', 'CS', 'COERCE'), 'keep');
  t.equal(text(decide(clean, 'ReasonForTheAttributeModification', 'CS', 'Jane Doe')), '');
});

t.test('a standard attribute under a VR PS3.6 does not give it is removed, not shifted or cleaned', async (t) => {
  const clean = { ...plan, options: { ...plan.options, cleanDescriptors: true } };
  t.equal(decide(clean, 'StudyDescription', 'CS', 'JANE DOE'), 'remove', 'a description written as CS');
  t.not(decide(clean, 'StudyDescription', 'LO', 'Chest CT'), 'remove');
  t.equal(decide(plan, 'AcquisitionDateTime', 'TM', '112233'), 'remove', 'a DT written as TM');
  t.equal(decide(plan, 'AcquisitionTime', 'TM', '112233'), 'keep');
  t.equal(decide(plan, 'PatientID', 'OB', 'MRN-0042'), 'remove', 'a PatientID written as OB (a pseudonym cannot be written as OB)');
  t.not(decide(plan, 'PatientID', 'UN', 'MRN-0042'), 'remove', 'UN is read as the dictionary VR and pseudonymized');
});

t.test('CT_small with StudyDate written under VR TM: the date does not come out', async (t) => {
  const src = fs.readFileSync(samplePath('ts/CT_small.dcm'));
  const at = src.indexOf(Buffer.from([0x08, 0x00, 0x20, 0x00, 0x44, 0x41])); // (0008,0020) DA
  t.ok(at > 0);
  const date = src.toString('latin1', at + 8, at + 8 + src.readUInt16LE(at + 6)).trim();
  const bad = Buffer.from(src);
  bad.write('TM', at + 4, 'latin1');
  const { bytes } = await deid(bad);
  t.equal(bytes.indexOf(date), -1, `${date} removed`);
  t.equal(parseWithOracle(bytes).elements.x00080020, undefined, 'StudyDate removed');
  const { bytes: good } = await deid(src);
  t.not(parseWithOracle(good).string('x00080020') ?? '', '', 'a well-formed StudyDate is still shifted, not emptied');
});

t.test('PS3.5 syntax of AS, DA, DT', async (t) => {
  for (const v of ['045Y', '003M', '010D', '002W']) t.ok(parsesAsVR('AS', v), `AS ${v}`);
  for (const v of ['45Y', '045 Y', 'Jane']) t.notOk(parsesAsVR('AS', v), `AS ${v}`);
  for (const v of ['20200101', '2020.01.01']) t.ok(parsesAsVR('DA', v), `DA ${v}`);
  for (const v of ['2020-01-01', '20200101-20200201', 'Jane Doe']) t.notOk(parsesAsVR('DA', v), `DA ${v}`);
  for (const v of ['2020', '20200101120000.123456+0500', '202001011200-0300']) t.ok(parsesAsVR('DT', v), `DT ${v}`);
  for (const v of ['2020-01-01T12:00', 'Jane Doe']) t.notOk(parsesAsVR('DT', v), `DT ${v}`);
});

t.test('an attribute an option retains keeps its value only when the value is what its VR says', async (t) => {
  const chars = { ...plan, options: { ...plan.options, retainPatientCharacteristics: true } };
  t.equal(decide(chars, 'PatientAge', 'AS', '045Y'), 'keep');
  t.equal(text(decide(chars, 'PatientAge', 'AS', 'Jane Doe')), '');
  t.equal(decide(chars, 'PatientWeight', 'DS', '72.5'), 'keep');
  t.equal(text(decide(chars, 'PatientWeight', 'DS', 'Jane Doe')), '');
  t.equal(decide(chars, 'PatientSex', 'CS', 'F'), 'keep');
  t.equal(decide(chars, 'PatientSex', 'LO', 'Jane Doe'), 'remove', 'written under a VR PS3.6 does not give it');
  t.equal(text(decide(chars, 'PatientWeight', 'UN', 'Jane Doe')), '', 'UN: read as the dictionary VR');
  const full = { ...plan, options: { ...plan.options, retainLongFullDates: true } };
  t.equal(decide(full, 'StudyDate', 'DA', '20200101'), 'keep');
  t.equal(text(decide(full, 'StudyDate', 'DA', 'Jane Doe')), '');
});

t.test('a date that is none (month 13, day 00, 99999999) does not parse as DA or DT', async (t) => {
  for (const v of ['20200131', '2020.01.31', '19000229']) t.ok(parsesAsVR('DA', v), `DA ${v}`);
  for (const v of ['99999999', '20201301', '20200100', '20200132', '2020.13.01']) t.notOk(parsesAsVR('DA', v), `DA ${v}`);
  for (const v of ['2020', '202001', '20200131235960.5+0100']) t.ok(parsesAsVR('DT', v), `DT ${v}`);
  for (const v of ['99999999', '202013', '2020013124']) t.notOk(parsesAsVR('DT', v), `DT ${v}`);
  const full = { ...plan, options: { ...plan.options, retainLongModifiedDates: false, retainLongFullDates: true } };
  t.equal(decide(full, 'StudyDate', 'DA', '20200131'), 'keep');
  t.equal(text(decide(full, 'PerformedProcedureStepStartDate', 'DA', '99999999')), '', 'Retain Full Dates does not pass a value that is no date');
});

t.test('an attribute the table does not list is kept only when its number or time is one', async (t) => {
  for (const v of ['0.48828125000000000001', '-1e-20', '12\\13']) t.ok(readsAsVR('DS', v), `DS ${v} (too long for PS3.5, still a number)`);
  t.notOk(readsAsVR('IS', 'Jane Doe'));
  t.equal(decide(plan, 'SeriesNumber', 'IS', '3'), 'keep');
  t.equal(text(decide(plan, 'SeriesNumber', 'IS', 'Jane Doe')), '');
  t.equal(text(decide(plan, 'InstanceNumber', 'IS', '1\\Jane')), '');
  t.equal(decide(plan, 'SliceThickness', 'DS', '0.488281250000000001'), 'keep', 'a long DS is still kept');
  t.equal(text(decide(plan, 'PixelSpacing', 'DS', 'DOE^JANE')), '');
  t.equal(text(decide(plan, 'ExposureTime', 'IS', 'x')), '');
});
