// Google v1 `dicom` (DicomConfig): keepList, removeList, filterProfile, skipIdRedaction.
import fs from 'node:fs';
import t from 'tap';
import { parseConfig } from '../../../src/config/load-config.js';
import { isDicomPart } from '../../../src/config/normalize-dicom.js';
import { minimalTags } from '../../../src/dicom/profile/minimal-tags.js';
import { dicomPlanFrom, type DicomPlan } from '../../../src/dicom/profile/plan.js';
import { samplePath } from '../samples.js';
import { deid, key, parseAny, walk } from './helpers.js';

function plan(dicom: unknown): DicomPlan {
  const c = parseConfig({ dicom });
  const p = dicomPlanFrom(isDicomPart(c.dicom) ? c.dicom : undefined);
  p.allowBurnedIn = true;
  return p;
}

const CT = samplePath('ts/CT_small.dcm');
const ctIn = parseAny(fs.readFileSync(CT));
const topTags = (ds: ReturnType<typeof parseAny>): number[] =>
  Object.keys(ds.elements).map((k) => parseInt(k.slice(1), 16) >>> 0).filter((t) => t >>> 16 !== 2);

t.test('keepList keeps the listed tags (by keyword or hex) and what a valid image needs, nothing else', async (t) => {
  const p = plan({ keepList: { tags: ['PatientName', '00080060', 'StudyDescription'] } });
  const out = parseAny((await deid(CT, { plan: p })).bytes);
  t.equal(out.string('x00100010'), ctIn.string('x00100010'), 'PatientName kept as is (the list says so)');
  t.equal(out.string('x00080060'), 'CT');
  t.equal(out.string('x00081030'), ctIn.string('x00081030'));
  for (const k of ['x00280010', 'x00280011', 'x00280100', 'x00280002', 'x00280004', 'x7fe00010']) t.ok(out.elements[k], `${k} auto-kept`);
  const allowed = new Set([...minimalTags(), 0x00100010, 0x00080060, 0x00081030]);
  t.same(topTags(out).filter((tag) => !allowed.has(tag)), [], 'nothing outside the list');
  t.not(out.string('x00080018'), ctIn.string('x00080018'), 'UIDs still regenerated');
  t.equal(out.elements.x00100020, undefined, 'PatientID removed');
});

t.test('removeList removes the listed tags and overlay data, keeps the rest', async (t) => {
  const p = plan({ removeList: { tags: ['PatientName', '00100020'] } });
  const out = parseAny((await deid(CT, { plan: p })).bytes);
  t.equal(out.elements.x00100010, undefined);
  t.equal(out.elements.x00100020, undefined);
  t.equal(out.string('x00080080'), ctIn.string('x00080080'), 'InstitutionName kept');
  t.equal(out.string('x00080020'), ctIn.string('x00080020'), 'dates kept');
  const ov = parseAny((await deid(samplePath('graphics/examples_overlay.dcm'), { plan: p })).bytes);
  t.equal(ov.elements.x60003000, undefined, 'OverlayData removed automatically');
  t.equal(ov.elements.x60000010, undefined, 'with the rest of its overlay group (an overlay without data is invalid)');
  t.ok(ov.elements.x00280010, 'the image stays');
});

t.test('MINIMAL_KEEP_LIST_PROFILE keeps only the image', async (t) => {
  const out = parseAny((await deid(CT, { plan: plan({ filterProfile: 'MINIMAL_KEEP_LIST_PROFILE' }) })).bytes);
  t.same(topTags(out).filter((tag) => !minimalTags().has(tag)), []);
  t.ok(out.elements.x7fe00010);
});

t.test('KEEP_ALL_PROFILE keeps everything but regenerates UIDs; skipIdRedaction keeps them', async (t) => {
  const all = parseAny((await deid(CT, { plan: plan({ filterProfile: 'KEEP_ALL_PROFILE' }) })).bytes);
  t.equal(all.string('x00100010'), ctIn.string('x00100010'));
  t.not(all.string('x00080018'), ctIn.string('x00080018'));
  const skip = parseAny((await deid(CT, { plan: plan({ filterProfile: 'KEEP_ALL_PROFILE', skipIdRedaction: true }) })).bytes);
  t.equal(skip.string('x00080018'), ctIn.string('x00080018'));
  t.equal(skip.string('x0020000d'), ctIn.string('x0020000d'));
  t.equal(parseAny((await deid(CT, { plan: plan({ filterProfile: 'KEEP_ALL_PROFILE', skipIdRedaction: true }) })).bytes).string('x00020003'), ctIn.string('x00080018'), 'meta untouched');
});

t.test('ATTRIBUTE_CONFIDENTIALITY_BASIC_PROFILE is PS3.15 basic without options: dates emptied, not shifted', async (t) => {
  const p = plan({ filterProfile: 'ATTRIBUTE_CONFIDENTIALITY_BASIC_PROFILE' });
  t.equal(p.base, 'BASIC');
  t.notOk(p.options.retainLongModifiedDates);
  const out = parseAny((await deid(CT, { plan: p })).bytes);
  t.equal(out.elements.x00080020?.length, 0, 'StudyDate (Z) empty');
  t.equal(out.elements.x00100010?.length, 0, 'PatientName (Z) empty');
});

t.test('DEIDENTIFY_TAG_CONTENTS inspects text VRs only', async (t) => {
  const p = plan({ filterProfile: 'DEIDENTIFY_TAG_CONTENTS' });
  const input = samplePath('sr/reportsi.dcm');
  const before = walk(parseAny(fs.readFileSync(input)));
  const out = parseAny((await deid(input, { plan: p })).bytes);
  const name = parseAny(fs.readFileSync(input)).string('x00100010')!;
  const cleaned = out.string('x00100010') ?? '';
  for (const part of name.split(/[\^=]/).filter((p) => p.length >= 3)) t.notOk(cleaned.includes(part), 'name part gone');
  t.match(cleaned, /\[[A-Z_]+\]/, 'PN replaced by infoType markers');
  const numeric = before.filter((v) => v.depth === 0 && ['US', 'IS', 'CS', 'TM'].includes(v.vr ?? '') && v.value);
  t.ok(numeric.length > 0);
  for (const v of numeric) t.equal(out.string(key(v.tag)), v.value, `${v.tag.toString(16)} (${v.vr}) untouched`);
});

t.test('an unspecified filter profile is keep-all, as in Google; an empty section is deid\'s default', async (t) => {
  t.equal(plan({ filterProfile: 'TAG_FILTER_PROFILE_UNSPECIFIED' }).base, 'KEEP_ALL');
  t.equal(plan({ skipIdRedaction: false }).base, 'KEEP_ALL');
  const empty = plan({});
  t.equal(empty.base, 'BASIC');
  t.ok(empty.options.retainLongModifiedDates);
});

t.test('unknown keywords in a list are a config error', async (t) => {
  t.throws(() => plan({ keepList: { tags: ['PatientNom'] } }), { code: 'CONFIG_INVALID' });
});
