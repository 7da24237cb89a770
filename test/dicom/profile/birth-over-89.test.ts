// HIPAA Safe Harbor (C): a PatientBirthDate telling an age over 89 is emptied where a profile
// would shift or clean it (Google's DEIDENTIFY_TAG_CONTENTS, cleanTextTag, a C action),
// since the shifted year would still tell the age. Younger birth dates are shifted as before.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { parseConfig } from '../../../src/config/load-config.js';
import { isDicomPart } from '../../../src/config/normalize-dicom.js';
import { defaultDicomPlan, dicomPlanFrom, type DicomPlan } from '../../../src/dicom/profile/plan.js';
import { parseAny } from './helpers.js';
import { decide, text } from './rule-helpers.js';
import { runCli } from '../../helpers/run-cli.js';
import { samplePath } from '../samples.js';

/** The plan `deid dicom -c` makes of a config whose reference day is 2026-12-07. */
function planOf(config: Record<string, unknown>): DicomPlan {
  const c = parseConfig({ ...config, deid: { ageReferenceDate: '2026-12-07' } });
  return dicomPlanFrom(isDicomPart(c.dicom) ? c.dicom : undefined, {}, 100, c.fhir!.ageReferenceDate);
}
const contents = planOf({ dicom: { filterProfile: 'DEIDENTIFY_TAG_CONTENTS' } });

t.test('cleaned or shifted: a birth date of 90 or more years is emptied, a younger one shifted', async (t) => {
  t.equal(text(decide(contents, 'PatientBirthDate', 'DA', '19220909')), '', 'DEIDENTIFY_TAG_CONTENTS: 104 years');
  t.equal(text(decide(contents, 'PatientBirthDate', 'DA', '19361207')), '', '90 on the day');
  t.equal(text(decide(contents, 'PatientBirthDate', 'DA', '19361208', { shiftDays: 10 })), '19361218', '89: shifted');
  t.equal(text(decide(contents, 'PatientBirthDate', 'DA', '1922.09.09')), '', 'the retired dotted form');
  t.equal(text(decide(contents, 'StudyDate', 'DA', '19220909', { shiftDays: 10 })), '19220919', 'another date of the same day is a date');
  const clean = planOf({ dicomTagConfig: { actions: [{ queries: ['PatientBirthDate'], cleanTextTag: {} }] } });
  t.equal(text(decide(clean, 'PatientBirthDate', 'DA', '19220909')), '', 'cleanTextTag');
  t.equal(text(decide(defaultDicomPlan(), 'PatientBirthDate', 'DA', '19800101')), '', 'the basic profile empties every birth date (Z)');
  t.equal(text(decide(contents, 'StudyDescription', 'LO', 'DOB 03/24/1923')), 'DOB [DATE_OF_BIRTH]', 'a date of birth in cleaned text');
  t.equal(text(decide(contents, 'StudyDescription', 'LO', 'DOB 03/24/1953', { shiftDays: 10 })), 'DOB 04/03/1953');
});

t.test('deid dicom on a real instance born in 1922 and one born in 1950', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-dicom-over89-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const config = path.join(dir, 'c.json');
  fs.writeFileSync(config, JSON.stringify({ dicom: { filterProfile: 'DEIDENTIFY_TAG_CONTENTS' }, deid: { ageReferenceDate: '2026-12-07' } }));
  const old = samplePath('ts/report_dfl.dcm');
  const young = samplePath('multiframe/CT0012.explicit_little_endian.dcm');
  t.equal(parseAny(fs.readFileSync(old)).string('x00100030'), '19220909');
  t.equal(parseAny(fs.readFileSync(young)).string('x00100030'), '19500704');
  const a = await runCli(['dicom', old, '-o', '-', '-c', config]);
  t.equal(a.code, 0, a.stderr.toString());
  const outOld = parseAny(a.stdout);
  t.equal(outOld.string('x00100030') ?? '', '', 'emptied');
  t.ok(outOld.elements.x00100030, 'still present (a type 2 attribute), zero length');
  const b = await runCli(['dicom', young, '-o', '-', '-c', config]);
  t.equal(b.code, 0, b.stderr.toString());
  t.match(parseAny(b.stdout).string('x00100030'), /^1950\d{4}$/, 'shifted');
  t.not(parseAny(b.stdout).string('x00100030'), '19500704');
});
