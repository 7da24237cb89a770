import t from 'tap';
import { compileRules } from '../../src/config/fhir-path-match.js';
import type { FieldRule } from '../../src/config/model.js';
import { readJson, walk, dotted } from './helpers/typed-paths.js';
import { find } from './helpers/match-real.js';

const patient = readJson('fhir-samples/hl7-r4-examples/resources/Patient-example.json');

t.test('the first rule in config order wins for a node', async (t) => {
  const rules: FieldRule[] = [
    { paths: ['Patient.Address.city'], action: { kind: 'keep' } },
    { paths: ['Address.String'], action: { kind: 'cryptoHash' } },
    { paths: ['String'], action: { kind: 'cleanText' } },
  ];
  const m = compileRules(rules);
  t.same(m.match(find(patient, 'Patient.address.city')), { kind: 'keep' });
  t.equal(m.matchIndex(find(patient, 'Patient.address.city')), 0);
  t.same(m.match(find(patient, 'Patient.address.line')), { kind: 'cryptoHash' });
  t.same(m.match(find(patient, 'Patient.contact.address.city')), { kind: 'cryptoHash' });
  t.same(m.match(find(patient, 'Patient.name.family')), { kind: 'cleanText' });
  t.equal(m.match(find(patient, 'Patient.gender')), undefined, 'unmatched fields have no action');
  t.equal(m.matchIndex(find(patient, 'Patient.gender')), -1);

  const reversed = compileRules([...rules].reverse());
  t.same(reversed.match(find(patient, 'Patient.address.city')), { kind: 'cleanText' });
});

t.test('several paths in one rule share its position', async (t) => {
  const m = compileRules([
    { paths: ['Patient.gender', 'Patient.Address.city'], action: { kind: 'remove' } },
    { paths: ['Patient.Address.city'], action: { kind: 'keep' } },
  ]);
  t.same(m.match(find(patient, 'Patient.address.city')), { kind: 'remove' });
  t.same(m.match(find(patient, 'Patient.gender')), { kind: 'remove' });
});

t.test('matchInherited: first rule in order among the node and its ancestors', async (t) => {
  const m = compileRules([
    { paths: ['HumanName.family'], action: { kind: 'keep' } },
    { paths: ['HumanName'], action: { kind: 'cryptoHash' } },
    { paths: ['Patient.name.given'], action: { kind: 'remove' } },
  ]);
  t.same(m.matchInherited(find(patient, 'Patient.name.family')), { kind: 'keep' });
  t.same(m.matchInherited(find(patient, 'Patient.name.given')), { kind: 'cryptoHash' }, 'HumanName precedes the given rule');
  t.same(m.match(find(patient, 'Patient.name.given')), { kind: 'remove' }, 'match() looks at the node only');
  t.equal(m.matchInherited(find(patient, 'Patient.gender')), undefined);
  t.equal(m.matchInheritedIndex(find(patient, 'Patient.name.given')), 1);
});

t.test('no rules: nothing matches, on every node of a real resource', async (t) => {
  const m = compileRules([]);
  for (const v of walk(patient)) {
    if (m.match(v.path) !== undefined || m.matchInherited(v.path) !== undefined) t.fail(dotted(v.path));
  }
  t.equal(m.match([]), undefined);
  t.equal(m.matchInherited([]), undefined);
});
