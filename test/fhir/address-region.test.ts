import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';

type Json = Record<string, any>;

// Safe Harbor (B) keeps an address's state, so BASIC kept Address.state and
// Address.country as written, and a sender's copy of the patient's name or
// MRN typed into them passed (found by planting the patient's values into
// every string of the HL7 R4 examples).
function run(patient: Json, others: Json[] = [], contextual = true): { out: Json[]; counts: Map<string, Map<string, number>> } {
  const config = deidDefaultConfig();
  config.fhir = { ...config.fhir!, contextualDeid: contextual };
  const env = makeFhirEnv(config, Buffer.alloc(32, 0x21));
  const out = [patient, ...others].map((r) => deidentifyResource(structuredClone(r), env) as Json);
  return { out, counts: env.counts };
}

const patient = (name: Json, address: Json[]): Json => ({ resourceType: 'Patient', id: 'p1', name: [name], identifier: [{ value: '4455667' }], address });

t.test("a state or country holding the patient's name or number goes", async (t) => {
  const { out, counts } = run(patient({ family: 'Zyxwood', given: ['Quenby'] }, [
    { use: 'home', city: 'Boston', state: 'Zyxwood', country: 'Quenby Zyxwood' },
    { state: 'MRN 4455667', country: 'US' },
  ]));
  const [a, b] = out[0]!.address;
  t.same(a, { use: 'home' });
  t.equal(b.state, undefined);
  t.equal(b.country, 'US');
  t.equal(counts.get('Patient.address.state')?.get('removed'), 2);
  t.equal(counts.get('Patient.address.country')?.get('removed'), 1);
  t.notMatch(JSON.stringify(out), /Zyxwood|Quenby|4455667/);
});

t.test('a US state, a country or a code stays when the patient is named like it', async (t) => {
  const { out } = run(patient({ family: 'Washington', given: ['Georgia', 'Va'] }, [
    { state: 'Georgia', country: 'United States' },
    { state: 'VA', country: 'USA' },
    { state: 'Washington', country: 'us' },
    { state: 'Georgia ', country: 'Georgia' },
  ]));
  t.same(out[0]!.address.map((a: Json) => [a.state, a.country]), [
    ['Georgia', 'United States'],
    ['VA', 'USA'],
    ['Washington', 'us'],
    ['Georgia ', 'Georgia'],
  ]);
});

t.test('a city that shares its state\'s name does not cost the state', async (t) => {
  const { out } = run(patient({ family: 'Zyxwood', given: ['Quenby'] }, [{ city: 'Hamburg', district: 'Altona', postalCode: '22765', state: 'Hamburg', country: 'Germany' }]));
  const [a] = out[0]!.address;
  t.equal(a.city, undefined, 'the city goes (Safe Harbor (B))');
  t.equal(a.state, 'Hamburg');
  t.equal(a.country, 'Germany');
});

t.test("in another resource of the patient's, and in a state no list knows", async (t) => {
  const related = { resourceType: 'RelatedPerson', id: 'r1', patient: { reference: 'Patient/p1' }, address: [{ state: 'Zyxwood Ranch', country: 'Ontario' }, { state: 'ON', country: 'CA' }] };
  const { out } = run(patient({ family: 'Zyxwood', given: ['Quenby'] }, [{ state: 'MA' }]), [related]);
  t.same(out[1]!.address, [{ country: 'Ontario' }, { state: 'ON', country: 'CA' }]);
  t.ok(out[1]!.meta.security.some((c: Json) => c.code === 'REDACTED'), 'the record is labelled redacted');
});

t.test('without contextual de-identification the values are kept as written', async (t) => {
  const { out } = run(patient({ family: 'Zyxwood', given: ['Quenby'] }, [{ state: 'Zyxwood', country: 'US' }]), [], false);
  t.equal(out[0]!.address[0].state, 'Zyxwood');
});

t.test('hostile values: not strings, empty, very long', async (t) => {
  const long = `${'Zyxwood '.repeat(5000)}state`;
  const { out } = run(patient({ family: 'Zyxwood', given: ['Quenby'] }, [{ state: 42, country: '' }, { state: long, country: 'Quenby' }]));
  t.equal(out[0]!.address[0].state, undefined, 'a number is not a string: removed');
  t.equal(out[0]!.address[1], undefined, 'an address of only PHI goes whole');
});
