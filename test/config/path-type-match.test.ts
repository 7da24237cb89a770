import t from 'tap';
import { readJson, readNdjson } from './helpers/typed-paths.js';
import { matchedPaths, matchedValues } from './helpers/match-real.js';

// Real data: the HL7 R4 example Patient and Synthea bulk Patients.
const example = readJson('fhir-samples/hl7-r4-examples/resources/Patient-example.json');
const synthea = readNdjson('fhir-samples/bulk-synthea-30-patients/Patient.ndjson', 3);

t.test('field names and type names (Google: Patient.Address.city ~ Patient.Address.String)', async (t) => {
  const city = matchedPaths(example, 'Patient.Address.city');
  t.same(city, ['Patient.address.city']);
  t.same(matchedPaths(example, 'Patient.address.city'), city, 'field name for the Address element');
  const strings = matchedPaths(example, 'Patient.Address.String');
  t.ok(strings.includes('Patient.address.city'));
  t.ok(strings.includes('Patient.address.line'));
  t.ok(strings.includes('Patient.address.postalCode'));
  t.notOk(strings.includes('Patient.address.use'), 'use is a code, not a string');
  t.notOk(strings.some((p) => p.startsWith('Patient.contact')), 'anchored at the Patient root');
  t.same(matchedValues(example, 'Patient.Address.city'), ['PleasantVille']);
});

t.test('primitive type names match in either case of the first letter', async (t) => {
  t.same(matchedPaths(example, 'Patient.Address.string'), matchedPaths(example, 'Patient.Address.String'));
  t.same(matchedPaths(example, 'Patient.birthDate'), ['Patient.birthDate']);
  t.same(matchedPaths(example, 'Patient.Date'), ['Patient.birthDate']);
  t.same(matchedPaths(example, 'Patient.date'), ['Patient.birthDate']);
  t.same(matchedPaths(example, 'Period.DateTime'), matchedPaths(example, 'Period.dateTime'));
  t.ok(matchedPaths(example, 'Period.DateTime').includes('Patient.contact.period.start'));
  t.same(matchedPaths(example, 'Patient.Boolean'), ['Patient.active'], 'deceasedBoolean needs its choice level');
  t.same(matchedPaths(example, 'Patient.Deceased.Boolean'), ['Patient.deceasedBoolean']);
});

t.test('a type name does not match an unrelated type', async (t) => {
  t.same(matchedPaths(example, 'Patient.Address.Date'), []);
  t.same(matchedPaths(example, 'Patient.Integer'), []);
  t.same(matchedPaths(example, 'Patient.Name'), [], 'Name is neither a type nor a backbone element');
});

t.test('HumanName and its sub-fields (Google: the HumanName sub-type can be omitted)', async (t) => {
  for (const p of synthea) {
    const names = matchedPaths(p, 'HumanName');
    t.same(names, ['Patient.name']);
    t.same(matchedPaths(p, 'HumanName.family'), ['Patient.name.family']);
    t.same(matchedPaths(p, 'HumanName.given'), ['Patient.name.given']);
  }
  t.same(matchedPaths(example, 'HumanName.family'), ['Patient.contact.name.family', 'Patient.name.family']);
});

t.test('backbone elements are named by their capitalised element name', async (t) => {
  t.same(matchedPaths(example, 'Patient.Contact.Address.city'), ['Patient.contact.address.city']);
  t.same(matchedPaths(example, 'Patient.contact.address.city'), ['Patient.contact.address.city']);
  t.same(matchedPaths(example, 'Patient.Contact'), ['Patient.contact']);
  t.same(matchedPaths(example, 'Patient.Address.Period'), ['Patient.address.period']);
});

t.test('bound code type names match code elements (AdministrativeGenderCode → Patient.gender)', async (t) => {
  t.same(matchedPaths(example, 'Patient.AdministrativeGenderCode'), ['Patient.gender']);
  t.same(matchedPaths(example, 'Patient.Code'), ['Patient.gender']);
  t.ok(matchedPaths(example, 'Patient.Contact.AdministrativeGenderCode').includes('Patient.contact.gender'));
});

t.test('Xhtml and Narrative', async (t) => {
  t.same(matchedPaths(example, 'Narrative.div'), ['Patient.text.div']);
  t.same(matchedPaths(example, 'Xhtml'), ['Patient.text.div']);
});
