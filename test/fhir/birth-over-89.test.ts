import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import type { DeidConfig } from '../../src/config/model.js';

type Json = Record<string, any>;

// Safe Harbor (C) in the walker: a birth date telling an age over 89 becomes the one "90 or older" category.
function configOn(day: string, f?: (c: DeidConfig) => void): DeidConfig {
  const c = deidDefaultConfig();
  c.fhir = { ...c.fhir!, ageReferenceDate: day };
  f?.(c);
  return c;
}

const birthTime = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime', valueDateTime: '1930-05-01T10:15:00Z' }] };

t.test('BASIC: the birth date of a person over 89 is the one category, labelled and counted; others are shifted', async (t) => {
  const env = makeFhirEnv(configOn('2026-12-07'), Buffer.alloc(32, 3));
  const old = { resourceType: 'Patient', id: 'p1', birthDate: '1930-05-01' };
  const young = { resourceType: 'Patient', id: 'p2', birthDate: '1950-05-01' };
  const relative = { resourceType: 'RelatedPerson', id: 'r1', patient: { reference: 'Patient/p2' }, birthDate: '1920-01-09' };
  const a = deidentifyResource(old, env) as Json;
  const b = deidentifyResource(young, env) as Json;
  const c = deidentifyResource(relative, env) as Json;
  t.equal(a.birthDate, '1936');
  t.ok(a.meta.security.some((s: Json) => s.code === 'ABSTRED'), 'labelled ABSTRED');
  t.match(b.birthDate, /^1950-\d{2}-\d{2}$/);
  t.not(b.birthDate, '1950-05-01', 'shifted');
  t.notOk(b.meta.security.some((s: Json) => s.code === 'ABSTRED'));
  t.equal(c.birthDate, '1936', 'a relative\u2019s birth date too');
  t.equal(env.counts.get('Patient.birthDate')?.get('generalized'), 1);
  t.equal(env.counts.get('Patient.birthDate')?.get('date-shifted'), 1);
  t.equal(old.birthDate, '1930-05-01', 'the input is not modified');
});

t.test('a decedent who died before 90 keeps a shifted birth date', async (t) => {
  const env = makeFhirEnv(configOn('2026-12-07'), Buffer.alloc(32, 3));
  const out = deidentifyResource({ resourceType: 'Patient', id: 'p1', birthDate: '1930-05-01', deceasedDateTime: '2000-01-01' }, env) as Json;
  t.match(out.birthDate, /^1930-\d{2}-\d{2}$/);
  t.not(out.birthDate, '1930-05-01');
});

t.test('with extensions kept, the birth time of a person over 89 goes with the birth date', async (t) => {
  const env = makeFhirEnv(configOn('2026-12-07', (c) => { c.fhir!.keepExtensions = true; }), Buffer.alloc(32, 3));
  const old = deidentifyResource({ resourceType: 'Patient', id: 'p1', birthDate: '1930-05-01', _birthDate: birthTime }, env) as Json;
  t.equal(old.birthDate, '1936');
  t.notOk('_birthDate' in old, 'no birth time');
  t.notMatch(JSON.stringify(old), /1930/);
  const young = deidentifyResource({ resourceType: 'Patient', id: 'p2', birthDate: '1950-05-01', _birthDate: { extension: [{ ...birthTime.extension[0], valueDateTime: '1950-05-01T10:15:00Z' }] } }, env) as Json;
  t.match(young._birthDate.extension[0].valueDateTime, /^1950-\d{2}-\d{2}T10:15:00Z$/, 'a younger patient\u2019s birth time is shifted and kept');
});

t.test('CLEAN_ALL generalises too; KEEP_ALL and a rule naming the birth date decide for themselves', async (t) => {
  const patient = { resourceType: 'Patient', id: 'p1', birthDate: '1930-05-01' };
  const clean = makeFhirEnv(configOn('2026-12-07', (c) => { c.fhir!.profile = 'CLEAN_ALL'; }), Buffer.alloc(32, 3));
  t.equal((deidentifyResource(patient, clean) as Json).birthDate, '1936');
  const keepAll = makeFhirEnv(configOn('2026-12-07', (c) => { c.fhir!.profile = 'KEEP_ALL'; }), Buffer.alloc(32, 3));
  t.equal((deidentifyResource(patient, keepAll) as Json).birthDate, '1930-05-01', 'KEEP_ALL keeps');
  const ruled = makeFhirEnv(configOn('2026-12-07', (c) => { c.fhir!.rules = [{ paths: ['Patient.birthDate'], action: { kind: 'keep' } }]; }), Buffer.alloc(32, 3));
  t.equal((deidentifyResource(patient, ruled) as Json).birthDate, '1930-05-01', 'a keepField rule keeps');
});

t.test('the reference day decides, and the same day gives the same output', async (t) => {
  const patient = { resourceType: 'Patient', id: 'p1', birthDate: '1936-12-20' };
  const before = deidentifyResource(patient, makeFhirEnv(configOn('2026-12-19'), Buffer.alloc(32, 3))) as Json;
  const after = deidentifyResource(patient, makeFhirEnv(configOn('2026-12-20'), Buffer.alloc(32, 3))) as Json;
  t.match(before.birthDate, /^193[67]-\d{2}-\d{2}$/, '89 the day before: shifted');
  t.equal(after.birthDate, '1936', '90 on the day');
  const again = deidentifyResource(patient, makeFhirEnv(configOn('2026-12-19'), Buffer.alloc(32, 3))) as Json;
  t.same(again, before);
});

t.test("a relative's date of birth in a family history, unless they died before 90", async (t) => {
  const env = makeFhirEnv(configOn('2026-12-07'), Buffer.alloc(32, 3));
  const fmh = (over: Json) => ({ resourceType: 'FamilyMemberHistory', id: 'f1', status: 'completed', patient: { reference: 'Patient/p1' }, relationship: { text: 'father' }, ...over });
  t.equal((deidentifyResource(fmh({ bornDate: '1930-01-01' }), env) as Json).bornDate, '1936');
  const died = deidentifyResource(fmh({ bornDate: '1930-01-01', deceasedDate: '2001-05-05' }), env) as Json;
  t.match(died.bornDate, /^19(29|30)-\d{2}-\d{2}$/, 'died at 71: shifted');
  t.not(died.bornDate, '1930-01-01');
});

