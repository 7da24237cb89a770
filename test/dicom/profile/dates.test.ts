// Retain Longitudinal Temporal Information with Modified Dates: DA/DT shifted
// by the patient's keyed offset (partial values stay partial), TM kept.
import fs from 'node:fs';
import t from 'tap';
import { Keyed } from '../../../src/core/keyed.js';
import { shiftDicomDA } from '../../../src/core/dates.js';
import { dateShiftKey } from '../../../src/dicom/profile/deidentify-instance.js';
import { NO_OPTIONS } from '../../../src/dicom/profile/options.js';
import { defaultDicomPlan } from '../../../src/dicom/profile/plan.js';
import { samplePath } from '../samples.js';
import { basicProfileCsv, deid, KEY, parseWithOracle } from './helpers.js';
import { decide, text } from './rule-helpers.js';

const plan = defaultDicomPlan();

t.test('partial DT values stay partial, time zone kept', async (t) => {
  t.equal(text(decide(plan, 'AcquisitionDateTime', 'DT', '2004', { shiftDays: 400 })), '2005');
  t.equal(text(decide(plan, 'AcquisitionDateTime', 'DT', '200401', { shiftDays: 40 })), '200402');
  t.equal(text(decide(plan, 'AcquisitionDateTime', 'DT', '20040131235959.5+0100', { shiftDays: 1 })), '20040201235959.5+0100');
});

t.test('DA shifted, multi-valued DA shifted value by value, TM kept', async (t) => {
  t.equal(text(decide(plan, 'StudyDate', 'DA', '20040228', { shiftDays: 2 })), '20040301');
  t.equal(text(decide(plan, 'StudyTime', 'TM', '112233')), 'keep');
  t.equal(text(decide(plan, 'ContentDate', 'DA', '20000101\\20000102', { shiftDays: -1 })), '19991231\\20000101');
});

t.test('an unparseable date is emptied, never passed through', async (t) => {
  t.equal(text(decide(plan, 'StudyDate', 'DA', 'yesterday')), '');
  t.equal(text(decide(plan, 'StudyDate', 'DA', '20041350')), '');
});

t.test('full dates keep, and no option removes or empties as the table says', async (t) => {
  const full = { ...plan, options: { ...NO_OPTIONS, retainLongFullDates: true } };
  t.equal(decide(full, 'StudyDate', 'DA', '20040228'), 'keep');
  const none = { ...plan, options: { ...NO_OPTIONS } };
  t.equal(text(decide(none, 'StudyDate', 'DA', '20040228')), '', 'StudyDate is Z');
  t.equal(decide(none, 'AdmittingDate', 'DA', '20040228'), 'remove', 'AdmittingDate is X');
});

t.test('the shift is keyed on PatientID, else StudyInstanceUID', async (t) => {
  t.equal(dateShiftKey({ patientId: 'P1', studyInstanceUid: '1.2', sopInstanceUid: '1.2.3' }), 'PatientID/P1');
  t.equal(dateShiftKey({ patientId: '', studyInstanceUid: '1.2', sopInstanceUid: '1.2.3' }), 'StudyInstanceUID/1.2');
});

t.test('CT_small: every modifiable date moves by the patient offset, times stay', async (t) => {
  const file = samplePath('ts/CT_small.dcm');
  const before = parseWithOracle(fs.readFileSync(file));
  const { bytes, prepared } = await deid(file);
  const after = parseWithOracle(bytes);
  const days = new Keyed(KEY).dateShiftDays(`PatientID/${before.string('x00100020')}`, 100);
  t.equal(prepared.shiftDays, days);
  t.not(days, 0);
  let n = 0;
  for (const [id, row] of basicProfileCsv()) {
    if (row.rtnLongModifDatesOpt !== 'C' || !/^[0-9a-f]{8}$/.test(id)) continue;
    const k = `x${id}`;
    const v = before.string(k);
    if (!v || !before.elements[k]) continue;
    const vr = before.elements[k]!.vr;
    if (vr === 'DA') {
      t.equal(after.string(k), shiftDicomDA(v, days), `${row.keyword} shifted`);
      n++;
    } else if (vr === 'TM') {
      t.equal(after.string(k), v, `${row.keyword} kept`);
    }
  }
  t.ok(n >= 4, 'several dates checked');
});
