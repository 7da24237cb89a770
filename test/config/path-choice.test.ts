import t from 'tap';
import { readJson } from './helpers/typed-paths.js';
import { matchedPaths, matchedValues } from './helpers/match-real.js';

const conditionString = readJson('fhir-samples/hl7-r4-examples/resources/Condition-example2.json');
const conditionAge = readJson('fhir-samples/hl7-r4-examples/resources/Condition-f202.json');
const prognosis = readJson('fhir-samples/hl7-r4-examples/resources/List-prognosis.json');
const patient = readJson('fhir-samples/hl7-r4-examples/resources/Patient-example.json');

t.test('Google R4 default-config form: OnsetX.string', async (t) => {
  t.same(matchedPaths(conditionString, 'Condition.OnsetX.string'), ['Condition.onsetString']);
  t.same(matchedValues(conditionString, 'Condition.OnsetX.string'), [conditionString.onsetString]);
  t.same(matchedPaths(conditionAge, 'Condition.OnsetX.string'), [], 'onsetAge is not a string');
});

t.test('STU3 default-config form: Onset.string, and the other spellings of the choice name', async (t) => {
  for (const p of ['Condition.Onset.string', 'Condition.Onset.String', 'Condition.onset.string', 'Condition.onset[x].string', 'Condition.onsetX.string']) {
    t.same(matchedPaths(conditionString, p), ['Condition.onsetString'], p);
  }
});

t.test('one component for the whole choice: JSON name, choice name, or type', async (t) => {
  t.same(matchedPaths(conditionString, 'Condition.onsetString'), ['Condition.onsetString']);
  t.same(matchedPaths(conditionString, 'Condition.Onset'), ['Condition.onsetString']);
  t.same(matchedPaths(conditionAge, 'Condition.OnsetX'), ['Condition.onsetAge']);
  t.same(matchedPaths(conditionAge, 'Condition.onsetString'), []);
  t.same(matchedPaths(conditionAge, 'Condition.onsetAge.unit'), ['Condition.onsetAge.unit']);
});

t.test('a choice is two levels (container, member); neither may be skipped', async (t) => {
  t.same(matchedPaths(conditionAge, 'Condition.Onset.Age'), ['Condition.onsetAge']);
  t.same(matchedPaths(conditionAge, 'Condition.OnsetX.age'), ['Condition.onsetAge']);
  t.same(matchedPaths(conditionAge, 'Condition.OnsetX.Age.unit'), ['Condition.onsetAge.unit']);
  t.same(matchedPaths(conditionAge, 'Age.unit'), ['Condition.abatementAge.unit', 'Condition.onsetAge.unit'], 'a partial path may start at the member');
  t.same(matchedPaths(conditionAge, 'Age'), ['Condition.abatementAge', 'Condition.onsetAge']);
  t.same(matchedPaths(conditionAge, 'Condition.Age'), [], 'skips the container');
  t.same(matchedPaths(conditionAge, 'Condition.Onset.unit'), [], 'skips the member');
  t.notOk(matchedPaths(conditionString, 'Condition.String').includes('Condition.onsetString'), 'skips the container');
  t.ok(matchedPaths(conditionString, 'String').includes('Condition.onsetString'));
});

t.test('Google example: deceasedAge.unit is matched by Deceased.Age.unit', async (t) => {
  // List-prognosis contains FamilyMemberHistory resources with deceasedAge.
  const got = matchedPaths(prognosis, 'Deceased.Age.unit');
  t.ok(got.length > 0, 'found in the contained FamilyMemberHistory');
  t.ok(got.every((p) => p.endsWith('.deceasedAge.unit')), got.join(','));
  t.same(matchedPaths(prognosis, 'FamilyMemberHistory.Deceased.Age.unit'), got, 'anchored at the contained resource root');
  t.same(matchedPaths(prognosis, 'Deceased.Boolean').every((p) => p.endsWith('deceasedBoolean')), true);
  t.same(matchedPaths(prognosis, 'Deceased.Age.code').length, got.length);
  t.same(matchedPaths(prognosis, 'Deceased.Quantity.unit'), [], 'Age is the type, not Quantity');
  t.same(matchedPaths(patient, 'Patient.Deceased.Boolean'), ['Patient.deceasedBoolean']);
  t.same(matchedPaths(patient, 'Patient.Deceased.DateTime'), []);
});

t.test('a type component after a non-choice element does not consume it', async (t) => {
  // `address.String` is two segments (address → a string child), never one.
  t.same(matchedPaths(patient, 'Patient.Address'), ['Patient.address']);
  t.same(matchedPaths(patient, 'Patient.Address.Address'), []);
});
