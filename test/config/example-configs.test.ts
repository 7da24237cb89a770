import t from 'tap';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfigFile } from '../../src/config/load-config.js';
import { compileRules } from '../../src/config/fhir-path-match.js';
import type { DeidConfig } from '../../src/config/model.js';
import type { DicomPart } from '../../src/config/normalize-dicom.js';
import { repoRoot, readJson, readNdjson, walk, dotted } from './helpers/typed-paths.js';

const dir = path.join(repoRoot, 'data/configs');
const files = readdirSync(dir).filter((f) => /\.(json|ya?ml)$/.test(f)).sort();
const loaded = new Map<string, DeidConfig>();

t.test('every config file in data/configs loads', async (t) => {
  t.ok(files.length >= 8, files.join(', '));
  for (const f of files) {
    const c = loadConfigFile(path.join(dir, f));
    loaded.set(f, c);
    t.ok(c.fhir, `${f}: FHIR plan`);
    t.match(c.digest, /^[0-9a-f]{64}$/);
    t.doesNotThrow(() => compileRules(c.fhir!.rules), `${f}: rules compile`);
  }
  t.equal(new Set([...loaded.values()].map((c) => c.digest)).size, files.length, 'all different');
});

const get = (f: string): DeidConfig => {
  const c = loaded.get(f);
  if (!c) throw new Error(`${f} was not loaded`);
  return c;
};

t.test('profiles and options of the example files', async (t) => {
  t.equal(get('basic.json').fhir!.profile, 'BASIC');
  t.same(
    [get('keep-all.json').fhir!.profile, get('keep-all.json').fhir!.keepExtensions, get('keep-all.json').fhir!.pseudonymizeIds],
    ['KEEP_ALL', true, false],
  );
  t.same([get('clean-all.json').fhir!.profile, get('clean-all.json').fhir!.contextualDeid], ['CLEAN_ALL', true]);
  t.same(get('clean-all.json').text.excludeInfoTypes, ['GENDER']);
  const all = get('v1beta1-all-actions.json');
  t.same(
    all.fhir!.rules.map((r) => r.action.kind),
    ['keep', 'remove', 'characterMask', 'cryptoHash', 'dateShift', 'cleanText'],
  );
  t.same([all.fhir!.maskingCharacter, all.fhir!.contextualDeid, all.fhir!.keepExtensions, all.fhir!.dateShiftRangeDays], ['x', true, true, 30]);
  const dicom = all.dicom as DicomPart;
  t.equal(dicom.generation, 'v1beta1');
  t.equal((dicom.config as { actions: unknown[] }).actions.length, 8);
  const v1 = get('v1-fhir.json');
  t.equal(v1.fhir!.profile, 'KEEP_ALL');
  t.same(new Set(v1.fhir!.rules.map((r) => r.action.kind)), new Set(['keep', 'transform', 'cleanText']));
  t.same(
    Object.fromEntries(v1.text.transformations.map((x) => [x.infoTypes.join('+') || '(default)', x.action.kind])),
    { PERSON_NAME: 'replaceWithInfoType', 'PHONE_NUMBER+EMAIL_ADDRESS': 'characterMask', DATE: 'dateShift', MEDICAL_RECORD_NUMBER: 'cryptoHash', '(default)': 'redact' },
  );
  t.same(v1.text.excludeInfoTypes, ['AGE']);
  t.equal((get('v1-dicom.json').dicom as DicomPart).generation, 'v1');
  t.same((get('v1-dicom.json').dicom as DicomPart).image, { textRedactionMode: 'REDACT_SENSITIVE_TEXT' });
  t.same(get('request-body.json').fhir!.rules.map((r) => r.action.kind), ['transform', 'cleanText']);
  t.equal((get('request-body.json').dicom as DicomPart).generation, 'v1');
});

t.test('v1-fhir.json rules on real Synthea patients (first match wins)', async (t) => {
  const m = compileRules(get('v1-fhir.json').fhir!.rules);
  for (const p of readNdjson('fhir-samples/bulk-synthea-30-patients/Patient.ndjson', 5)) {
    const seen = new Map<string, string>();
    for (const v of walk(p)) {
      const a = m.match(v.path);
      if (a) seen.set(dotted(v.path), a.kind);
    }
    t.equal(seen.get('Patient.birthDate'), 'keep');
    t.equal(seen.get('Patient.address.city'), 'keep', 'the DO_NOT_TRANSFORM rule comes first');
    t.equal(seen.get('Patient.address.line'), 'transform');
    t.equal(seen.get('Patient.name'), 'transform', 'HumanName');
    t.equal(seen.get('Patient.telecom.value'), 'transform');
    t.equal(seen.get('Patient.identifier.value'), 'transform');
    t.equal(seen.get('Patient.text.div'), 'cleanText');
    t.equal(seen.get('Patient.gender'), undefined, 'unmatched: passes through (KEEP_ALL)');
    if ('deceasedDateTime' in p) t.equal(seen.get('Patient.deceasedDateTime'), 'transform');
  }
});

t.test('v1beta1-all-actions.json on the HL7 example Patient', async (t) => {
  const m = compileRules(get('v1beta1-all-actions.json').fhir!.rules);
  const patient = readJson('fhir-samples/hl7-r4-examples/resources/Patient-example.json');
  const kinds = new Map(walk(patient).map((v) => [dotted(v.path), m.match(v.path)?.kind] as const));
  t.equal(kinds.get('Patient.gender'), 'keep');
  t.equal(kinds.get('Patient.contact'), 'remove');
  t.equal(kinds.get('Patient.name.family'), 'characterMask', 'HumanName.family precedes HumanName');
  t.equal(kinds.get('Patient.name'), 'cryptoHash');
  t.equal(kinds.get('Patient.identifier.value'), 'cryptoHash');
  t.equal(kinds.get('Patient.birthDate'), 'dateShift');
  t.equal(kinds.get('Patient.text.div'), 'cleanText');
  t.equal(kinds.get('Patient.active'), undefined, 'left to the BASIC profile');
});
