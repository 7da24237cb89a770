import t from 'tap';
import { generalizeAge, generalizeZip } from '../../src/fhir/generalize.js';

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
