import t from 'tap';
import { AGE_TEXT_CATEGORY, generalizeAge, generalizeZip, isAgeTextOver89, isTimeOver89Years } from '../../src/fhir/generalize.js';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';

t.test('ZIP codes keep three digits, restricted areas become 000', async (t) => {
  t.equal(generalizeZip('02139'), '021');
  t.equal(generalizeZip('02139-4307'), '021');
  t.equal(generalizeZip('036 01'.replace(' ', '')), '000', '036 is restricted');
  t.equal(generalizeZip('89301'), '000', '893 is restricted');
  t.equal(generalizeZip('SW1A 1AA'), undefined, 'non-US codes are removed');
  t.equal(generalizeZip('1234'), undefined);
});

t.test('ages over 89 become 90 or more', async (t) => {
  const a: Record<string, unknown> = { value: 93, unit: 'yr', system: 'http://unitsofmeasure.org', code: 'a' };
  t.ok(generalizeAge(a));
  t.same(a, { value: 90, unit: 'years', system: 'http://unitsofmeasure.org', code: 'a', comparator: '>=' });
  const b = { value: 89, code: 'a' };
  t.notOk(generalizeAge(b));
  t.equal(b.value, 89);
  const months: Record<string, unknown> = { value: 1100, code: 'mo', system: 'http://unitsofmeasure.org' };
  t.ok(generalizeAge(months), '1100 months is over 89 years');
  t.notOk(generalizeAge({ value: 30, code: 'd' }));
});

t.test('a quantity of time over 89 years by its unit, whatever its name', async (t) => {
  t.ok(isTimeOver89Years({ value: 95, code: 'a' }));
  t.ok(isTimeOver89Years({ value: 1200, unit: 'mo' }));
  t.ok(isTimeOver89Years({ value: 40000, unit: 'days' }));
  t.notOk(isTimeOver89Years({ value: 89, code: 'a' }));
  t.notOk(isTimeOver89Years({ value: 95, unit: 'mg' }), 'not time');
  t.notOk(isTimeOver89Years({ value: 95 }), 'no unit: no age');
  t.notOk(isTimeOver89Years({ value: 900, code: 'd' }), '900 days');
  t.notOk(isTimeOver89Years({ value: '95', code: 'a' }));
});

t.test("an Observation's age as valueQuantity (LOINC 30525-0) is generalised as an Age element is", async (t) => {
  const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 2));
  const obs = {
    resourceType: 'Observation', id: 'o1', status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '30525-0', display: 'Age' }] },
    valueQuantity: { value: 95, unit: 'years', system: 'http://unitsofmeasure.org', code: 'a' },
    component: [{ code: { text: 'dose' }, valueQuantity: { value: 95, unit: 'mg' } }],
  };
  const out = deidentifyResource(obs, env) as { valueQuantity: unknown; component: { valueQuantity: unknown }[]; meta: { security: { code: string }[] } };
  t.same(out.valueQuantity, { value: 90, unit: 'years', system: 'http://unitsofmeasure.org', code: 'a', comparator: '>=' });
  t.same(out.component[0]!.valueQuantity, { value: 95, unit: 'mg' }, 'other quantities as they were');
  t.ok(out.meta.security.some((c) => c.code === 'ABSTRED'));
  t.equal(obs.valueQuantity.value, 95, 'the input is not modified');
});

t.test('units written out in full convert as their UCUM codes do', async (t) => {
  t.notOk(isTimeOver89Years({ value: 95, unit: 'days' }), '95 days is no age over 89');
  t.notOk(isTimeOver89Years({ value: 120, unit: 'Months' }), '10 years');
  t.ok(isTimeOver89Years({ value: 5000, unit: 'weeks' }), '~96 years');
  const age = { value: 95, unit: 'days' };
  t.equal(generalizeAge(age), false, 'an Age of 95 days stays');
  t.equal(age.value, 95);
});

t.test('an age told in words (ageString) over 89 becomes the one category; others are cleaned text', async (t) => {
  for (const s of ['95 years', 'in her 90s', '1100 months', 'age 90', '92']) t.ok(isAgeTextOver89(s), s);
  for (const s of ['89', '95 months', '89 yrs 11 mo', '4000 weeks', 'mid-eighties']) t.notOk(isAgeTextOver89(s), s);
  const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 2));
  const fmh = (ageString: string) => deidentifyResource({ resourceType: 'FamilyMemberHistory', id: 'f1', status: 'completed', patient: { reference: 'Patient/p' }, relationship: { text: 'mother' }, ageString }, env) as Record<string, any>;
  const old = fmh('95 years');
  t.equal(old.ageString, AGE_TEXT_CATEGORY);
  t.ok(old.meta.security.some((c: { code: string }) => c.code === 'ABSTRED'));
  t.equal(fmh('62 years').ageString, '62 years');
});
