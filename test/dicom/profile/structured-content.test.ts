// SR content items and person names the PS3.15 table does not list: the
// report text of the shared SR samples must not come out as written.
import fs from 'node:fs';
import t from 'tap';
import { parseConfig } from '../../../src/config/load-config.js';
import { isDicomPart } from '../../../src/config/normalize-dicom.js';
import { NO_OPTIONS } from '../../../src/dicom/profile/options.js';
import { defaultDicomPlan, dicomPlanFrom, type DicomPlan } from '../../../src/dicom/profile/plan.js';
import { samplePath } from '../samples.js';
import { deid, parseAny, searchableBytes, type DataSet } from './helpers.js';
import { decide, text } from './rule-helpers.js';
import { CT_IMAGE_STORAGE, el, item, part10 } from '../raw-elements.js';

const SR_SAMPLES = ['ts/report_dfl.dcm', 'sr/reportsi.dcm', 'sr/test-SR.dcm', 'sr/reportsi_with_empty_number_tags.dcm'];
const CONTENT_SEQUENCE = 'x0040a730';

interface ContentValue { tag: string; value: string; parent: string }

/** Every non-sequence value inside Content Sequence, at any depth, with the tag of the sequence holding it. */
function contentValues(ds: DataSet, inContent = false, parent = '', out: ContentValue[] = []): ContentValue[] {
  for (const [k, el] of Object.entries(ds.elements)) {
    if (el.items) {
      for (const it of el.items) if (it.dataSet) contentValues(it.dataSet, inContent || k === CONTENT_SEQUENCE, k, out);
    } else if (inContent && el.length > 0) {
      out.push({ tag: k, value: ds.string(k) ?? '', parent });
    }
  }
  return out;
}

/** The free text of the input's content items (TextValue and names), as the samples hold it. */
function reportTexts(ds: DataSet): string[] {
  return contentValues(ds).filter((v) => v.tag === 'x0040a160' || v.tag === 'x0040a123').map((v) => v.value.trim()).filter((v) => v.length >= 4);
}

for (const name of SR_SAMPLES) {
  t.test(`${name}: no TextValue, PersonName or coded value meaning survives as written`, async (t) => {
    const input = fs.readFileSync(samplePath(name));
    const before = parseAny(input);
    const texts = reportTexts(before);
    t.ok(texts.length > 0, 'the sample has report text');
    const { bytes } = await deid(input);
    const hay = searchableBytes(bytes);
    for (const s of texts) t.equal(hay.indexOf(Buffer.from(s, 'latin1')), -1, `"${s.slice(0, 12)}…" gone`);
    const after = contentValues(parseAny(bytes));
    const values = after.filter((v) => v.tag === 'x0040a160' || v.tag === 'x0040a123');
    t.equal(values.length, contentValues(before).filter((v) => v.tag === 'x0040a160' || v.tag === 'x0040a123').length, 'every TEXT and PNAME item keeps a value (Type 1)');
    for (const v of values) t.equal(v.value.trim(), v.tag === 'x0040a123' ? 'ANONYMIZED^' : 'ANONYMIZED');
    // Concept names are the questions of the report (terminology): kept.
    const names = after.filter((v) => v.tag === 'x00080104' && v.parent === 'x0040a043');
    t.same(names.map((v) => v.value), contentValues(before).filter((v) => v.tag === 'x00080104' && v.parent === 'x0040a043').map((v) => v.value));
    for (const v of after.filter((v) => v.tag === 'x00080104' && v.parent === 'x0040a168')) t.equal(v.value.trim(), 'ANONYMIZED', 'a coded value meaning is content');
  });
}

t.test('report_dfl.dcm: the clinic named in a TEXT item and in a local code is gone', async (t) => {
  const input = fs.readFileSync(samplePath('ts/report_dfl.dcm'));
  t.not(searchableBytes(input).indexOf('Redlands Clinic'), -1);
  const { bytes } = await deid(input);
  t.equal(searchableBytes(bytes).indexOf('Redlands'), -1);
});

// ---- synthetic instances ----

function instance(extra: Buffer[]): Buffer {
  return part10([el(0x00080016, 'UI', CT_IMAGE_STORAGE), el(0x00080018, 'UI', '1.2.3.4.5.6'), el(0x00080060, 'CS', 'CT'), ...extra]);
}

t.test('person names the table does not list are removed, at any depth and whatever VR they are written with', async (t) => {
  const nested = el(0x00400260, 'SQ', item(Buffer.concat([el(0x00080100, 'SH', 'T-1'), el(0x00142006, 'PN', 'Evalz^Eve')])));
  const input = instance([
    el(0x00140104, 'PN', 'Reviewz^Rex'), // SecondaryReviewerName
    el(0x00142006, 'UN', 'Evalz^Eve'), // EvaluatorName, VR from the dictionary
    el(0x00180050, 'DS', '1.25'),
    nested,
    el(0x0040a067, 'LO', 'Authorz^Ann'), // DocumentAuthorTrial (retired, PN) written as LO
  ]);
  const { bytes } = await deid(input);
  for (const s of ['Reviewz', 'Evalz', 'Authorz']) t.equal(bytes.indexOf(s), -1, `${s} gone`);
  const ds = parseAny(bytes);
  t.equal(ds.string('x00180050'), '1.25', 'an unlisted attribute that is not a name is still kept');
  t.equal(ds.elements.x00400260?.items?.[0]?.dataSet?.string('x00080100'), 'T-1');
});

t.test('a config rule that keeps an unlisted name keeps it', async (t) => {
  const c = parseConfig({ dicomTagConfig: { profileType: 'ATTRIBUTE_CONFIDENTIALITY_BASIC_PROFILE', actions: [{ queries: ['SecondaryReviewerName'], keepTag: {} }] } });
  const plan = dicomPlanFrom(isDicomPart(c.dicom) ? c.dicom : undefined);
  plan.allowBurnedIn = true;
  const { bytes } = await deid(instance([el(0x00140104, 'PN', 'Reviewz^Rex')]), { plan });
  t.equal(parseAny(bytes).string('x00140104'), 'Reviewz^Rex');
});

t.test('Clean Structured Content: TextValue goes through the text detectors instead of the dummy', async (t) => {
  const textItem = (v: string): Buffer => el(0x0040a160, 'UT', v);
  const content = el(0x0040a730, 'SQ', Buffer.concat([
    item(Buffer.concat([el(0x0040a010, 'CS', 'CONTAINS'), el(0x0040a040, 'CS', 'TEXT'), textItem('Seen by Osterz, call 555-123-4567 for the biopsy result')])),
    item(Buffer.concat([el(0x0040a010, 'CS', 'CONTAINS'), el(0x0040a040, 'CS', 'TEXT'), textItem('Mild thickening of the left lobe')])),
  ]));
  const input = instance([el(0x00100010, 'PN', 'Osterz^Phil'), content]);
  const plan: DicomPlan = { ...defaultDicomPlan(), allowBurnedIn: true, options: { ...NO_OPTIONS, retainLongModifiedDates: true, cleanStructuredContent: true } };
  const values = contentValues(parseAny((await deid(input, { plan })).bytes)).filter((v) => v.tag === 'x0040a160').map((v) => v.value.trim());
  t.equal(values.length, 2);
  t.notMatch(values[0]!, /Osterz|555-123-4567/);
  t.match(values[0]!, /biopsy result/, 'cleaned, not replaced');
  t.equal(values[1], 'Mild thickening of the left lobe');
  const plain = contentValues(parseAny((await deid(input)).bytes)).filter((v) => v.tag === 'x0040a160').map((v) => v.value.trim());
  t.same(plain, ['ANONYMIZED', 'ANONYMIZED'], 'without the option: the dummy');
});

t.test('the rule inside content items, attribute by attribute', async (t) => {
  const inContent = [{ tag: 0x0040a730, item: 0 }];
  const inValueCode = [...inContent, { tag: 0x0040a168, item: 0 }];
  const inConceptName = [...inContent, { tag: 0x0040a043, item: 0 }];
  const p = { ...defaultDicomPlan(), allowBurnedIn: true };
  t.equal(text(decide(p, 'TextValue', 'UT', 'Seen at Redlands', { path: inContent })), 'ANONYMIZED');
  t.equal(text(decide(p, 'TextValue', 'UT', 'Seen at Redlands')), 'keep', 'outside content items the table (unlisted: kept) applies');
  t.equal(text(decide(p, 'CodeMeaning', 'LO', 'Redlands Clinic', { path: inValueCode })), 'ANONYMIZED');
  t.equal(text(decide(p, 'CodeMeaning', 'LO', 'Observer Name', { path: inConceptName })), 'keep');
  t.equal(text(decide(p, 'CodeValue', 'SH', '1234', { path: inValueCode })), 'keep');
  t.equal(text(decide(p, 'RelationshipType', 'CS', 'CONTAINS', { path: inContent })), 'keep');
  t.equal(text(decide(p, 'NumericValue', 'DS', '12.5', { path: [...inContent, { tag: 0x0040a300, item: 0 }] })), 'keep');
  // SecondaryReviewDate (0014,0102) is not in the table: it follows DateTime (0040,A120), shifted under the default options.
  t.equal(text(decide(p, 'SecondaryReviewDate', 'DA', '20010520', { path: inContent, shiftDays: 10 })), '20010530');
  t.equal(text(decide({ ...p, options: NO_OPTIONS }, 'SecondaryReviewDate', 'DA', '20010520', { path: inContent })), '19000101', 'without date options: the dummy');
  t.equal(text(decide(p, 'MappingResourceName', 'LO', 'DICOM Content Mapping Resource', { path: inConceptName })), 'keep', 'terminology');
  t.equal(text(decide(p, 'PixelData', 'OB', 'xx', { path: inContent })), 'remove');
});
