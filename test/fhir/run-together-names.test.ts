// A patient's given and family name written as one word (a user name, a host:
// `quenbyzyxwood.example.org`) was found by no word-bounded match of either
// name. With contextual de-identification the run-together forms are the
// patient's values too, in both orders.
import t from 'tap';
import { contextValuesOf } from '../../src/fhir/patient.js';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';

type Json = Record<string, any>;
const patient = { resourceType: 'Patient', id: 'p7', name: [{ family: "Zyx-wood", given: ['Quenby', 'Al'] }] };

t.test('the run-together forms of given + family, either way round; none from a part of fewer than three letters', async (t) => {
  const values = contextValuesOf(patient).map((v) => v.value);
  t.ok(values.includes('QuenbyZyxwood'));
  t.ok(values.includes('ZyxwoodQuenby'));
  t.notOk(values.some((v) => /^alzyx|woodal$/i.test(v)), 'a two-letter given name makes no run-together form');
  t.same(contextValuesOf({ resourceType: 'Patient', name: [{ family: 'So', given: ['Al'] }] }).map((v) => v.value), ['So', 'Al', 'Al So']);
});

t.test("the patient's run-together name goes from an identifier system's host, a note, a display and a code", async (t) => {
  const config = deidDefaultConfig();
  const env = makeFhirEnv(config, Buffer.alloc(32, 0x42));
  deidentifyResource(structuredClone(patient), env);
  const out = deidentifyResource({
    resourceType: 'Observation', id: 'o7', status: 'final', subject: { reference: 'Patient/p7' },
    identifier: [{ system: 'https://quenbyzyxwood.example.org/ids', value: 'A1' }, { system: 'https://www.example.org/ids', value: 'A2' }],
    code: { coding: [{ system: 'http://hospital.example.org/codes', code: 'R1', display: 'Result zyxwoodquenby' }, { code: 'QUENBYZYXWOOD', display: 'Chart' }], text: 'HR' },
    note: [{ text: 'Portal user quenbyzyxwood asked for a copy.' }],
  }, env) as Json;
  t.match(out.identifier[0].system, /^https:\/\/[0-9a-f]+\.invalid\/ids$/);
  t.equal(out.identifier[1].system, 'https://www.example.org/ids');
  t.equal(out.code.coding[0].display, 'Result [CTX]');
  t.same(out.code.coding[1], { display: 'Chart' }, 'a code without a system that is the run-together name goes');
  t.equal(out.note[0].text, 'Portal user [CTX] asked for a copy.');
  t.notMatch(JSON.stringify(out), /quenby|zyxwood/i);
});
