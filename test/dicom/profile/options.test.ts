// Each PS3.15 option changes what its table column says, on real samples
// (Retain Safe Private: safe-private.test.ts).
import fs from 'node:fs';
import t from 'tap';
import { NO_OPTIONS, type ProfileOptions } from '../../../src/dicom/profile/options.js';
import { applyExtension, defaultDicomPlan, type DicomPlan } from '../../../src/dicom/profile/plan.js';
import { samplePath } from '../samples.js';
import { deid, parseAny, walk } from './helpers.js';
import { decide, facts, text } from './rule-helpers.js';

function withOptions(o: Partial<ProfileOptions>): DicomPlan {
  const plan = { ...defaultDicomPlan(), allowBurnedIn: true, options: { ...NO_OPTIONS } };
  applyExtension(plan, { options: o as Record<string, boolean> });
  return plan;
}

const CT = samplePath('ts/CT_small.dcm');
const ctIn = parseAny(fs.readFileSync(CT));
async function ctOut(o: Partial<ProfileOptions>) {
  return parseAny((await deid(CT, { plan: withOptions(o) })).bytes);
}

t.test('Retain Device Identity keeps StationName, which basic replaces', async (t) => {
  t.equal((await ctOut({})).string('x00081010'), 'ANONYMIZED');
  t.equal((await ctOut({ retainDeviceIdentity: true })).string('x00081010'), ctIn.string('x00081010'));
});

t.test('Retain Institution Identity keeps InstitutionName', async (t) => {
  t.not((await ctOut({})).string('x00080080'), ctIn.string('x00080080'));
  t.equal((await ctOut({ retainInstitutionIdentity: true })).string('x00080080'), ctIn.string('x00080080'));
});

t.test('Retain Patient Characteristics keeps sex, age and weight', async (t) => {
  const basic = await ctOut({});
  const kept = await ctOut({ retainPatientCharacteristics: true });
  for (const k of ['x00100040', 'x00101010', 'x00101030']) {
    t.not(basic.string(k), ctIn.string(k), `${k} changed by basic`);
    t.equal(kept.string(k), ctIn.string(k), `${k} kept`);
  }
});

t.test('Retain UIDs keeps instance UIDs and the meta', async (t) => {
  const kept = await ctOut({ retainUIDs: true });
  for (const k of ['x00080018', 'x0020000d', 'x0020000e', 'x00200052']) t.equal(kept.string(k), ctIn.string(k), `${k} kept`);
  t.not((await ctOut({})).string('x00080018'), ctIn.string('x00080018'));
});

t.test('Retain Longitudinal Full Dates keeps dates', async (t) => {
  const kept = await ctOut({ retainLongFullDates: true });
  for (const k of ['x00080020', 'x00080021', 'x00080023']) t.equal(kept.string(k), ctIn.string(k), `${k} kept`);
});

t.test('Clean Descriptors cleans descriptions instead of removing them, with [CTX] for values removed elsewhere', async (t) => {
  t.equal((await ctOut({})).elements.x00081030, undefined, 'StudyDescription removed by basic');
  t.ok((await ctOut({ cleanDescriptors: true })).elements.x00081030, 'StudyDescription kept, cleaned');
  const plan = withOptions({ cleanDescriptors: true });
  const f = facts({ context: [{ value: 'Kowalczyk', infoType: 'PERSON_NAME' }, { value: 'MRN-0042', infoType: 'CTX' }] });
  const out = text(decide(plan, 'StudyDescription', 'LO', 'CT chest Kowalczyk MRN-0042 follow up', { facts: f }));
  t.notMatch(out, /Kowalczyk|MRN-0042/);
  t.match(out, /\[CTX\]/);
  t.equal(decide(plan, 'SeriesDescription', 'LO', 'AXIAL 5MM', { facts: f }), 'keep', 'nothing to clean: kept byte for byte');
});

t.test('Clean Graphics: overlay data cannot be inspected, so it is removed either way, with its whole group', async (t) => {
  const input = samplePath('graphics/examples_overlay.dcm');
  const before = walk(parseAny(fs.readFileSync(input)));
  t.ok(before.some((v) => v.tag === 0x60003000), 'input has overlay data');
  t.ok(before.filter((v) => v.tag >>> 16 === 0x6000).length > 5, 'and overlay attributes');
  for (const o of [{}, { cleanGraphics: true }]) {
    const after = walk(parseAny((await deid(input, { plan: withOptions(o) })).bytes));
    t.same(after.filter((v) => v.tag >>> 16 === 0x6000), [], 'no overlay attribute left');
    t.ok(after.some((v) => v.tag === 0x7fe00010), 'pixel data stays');
  }
  const keepAll = { ...defaultDicomPlan(), allowBurnedIn: true, base: 'KEEP_ALL' as const };
  t.ok(walk(parseAny((await deid(input, { plan: keepAll })).bytes)).some((v) => v.tag === 0x60003000), 'a keep-all plan keeps the overlay');
});

t.test('option names in any spelling; unknown ones are a config error', async (t) => {
  const plan = defaultDicomPlan();
  applyExtension(plan, { options: ['retain-uids', 'CLEAN_DESCRIPTORS'] });
  t.ok(plan.options.retainUIDs && plan.options.cleanDescriptors && !plan.regenerateUids);
  t.throws(() => applyExtension(defaultDicomPlan(), { options: ['retainEverything'] }), { code: 'CONFIG_INVALID' });
});
