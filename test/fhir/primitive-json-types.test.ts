import fs from 'node:fs';
import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';

type Json = Record<string, unknown>;

// FHIR's JSON format fixes the JSON type of each primitive (string, number,
// boolean). A value of another JSON type cannot be parsed as its element's
// type: it is removed, never passed through, whatever the element (found by
// fuzzing: a numeric birthDate or SSN came out unchanged).
const patient = JSON.parse(fs.readFileSync('data/samples/fhir/Patient.ndjson', 'utf8').split('\n')[0]!) as Json;
const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 0x42));

t.test('wrong JSON types of primitives are removed, right ones still transformed', async (t) => {
  const input: Json = {
    ...patient,
    birthDate: 19900101,
    identifier: [{ system: 'http://hl7.org/fhir/sid/us-ssn', value: 999145933 }, { system: 'urn:x', value: 'MRN-1' }],
    gender: 7,
    active: 'ZZLEAKQQ active',
    multipleBirthInteger: 'ZZLEAKQQ twin',
    deceasedBoolean: 19900101,
    managingOrganization: { reference: 'Patient/1', display: 12345 },
  };
  const out = deidentifyResource(input, env);
  const text = JSON.stringify(out);
  for (const leak of ['19900101', '999145933', 'ZZLEAKQQ', '12345']) t.notOk(text.includes(leak), `${leak} removed`);
  t.notOk('birthDate' in out, 'numeric birthDate removed');
  t.notOk('gender' in out, 'numeric code removed');
  t.notOk('active' in out, 'string boolean removed');
  t.notOk('multipleBirthInteger' in out, 'string integer removed');
  t.notOk('deceasedBoolean' in out, 'numeric boolean removed');
  const ids = out.identifier as Json[];
  t.same(ids[0], { system: 'http://hl7.org/fhir/sid/us-ssn' });
  t.match(ids[1]!.value, /^[0-9a-f]{32}$/, 'a string identifier is still pseudonymised');
});

t.test('a well-typed sample record is unaffected', async (t) => {
  const out = deidentifyResource({ ...patient, active: true, multipleBirthInteger: 2 }, env);
  t.equal(out.active, true);
  t.equal(out.multipleBirthInteger, 2);
  t.match(out.birthDate, /^\d{4}-\d{2}-\d{2}$/);
  t.equal(out.gender, patient.gender);
});
