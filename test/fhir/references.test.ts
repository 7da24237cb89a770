import t from 'tap';
import { Keyed, UUID_RE } from '../../src/core/keyed.js';
import { pseudonymizeReference, pseudonymizeRequestUrl, referencedPatientId, pseudonymizeFullUrl } from '../../src/fhir/references.js';

const k = new Keyed(Buffer.alloc(32, 5));

t.test('relative, versioned and absolute references keep their shape', async (t) => {
  t.equal(pseudonymizeReference('Patient/abc', k), `Patient/${k.fhirId('abc')}`);
  t.equal(pseudonymizeReference('Patient/abc/_history/2', k), `Patient/${k.fhirId('abc')}/_history/2`);
  t.equal(pseudonymizeReference('http://ex.org/fhir/Patient/abc', k), `http://ex.org/fhir/Patient/${k.fhirId('abc')}`);
  t.equal(pseudonymizeReference('#p1', k), `#${k.fhirId('p1')}`);
  t.equal(pseudonymizeReference('#', k), '#');
});

t.test('urn:uuid stays a valid UUID and agrees with the id', async (t) => {
  const u = '8666cd40-7af9-48c6-a1a6-86a161195542';
  const r = pseudonymizeReference(`urn:uuid:${u}`, k)!;
  t.match(r.slice(9), UUID_RE);
  t.equal(r, `urn:uuid:${k.fhirId(u)}`);
  t.equal(pseudonymizeFullUrl(`urn:uuid:${u}`, k), r);
  t.equal(pseudonymizeReference('urn:uuid:not-a-uuid', k), undefined);
});

t.test('conditional references keep only pseudonymised identifiers', async (t) => {
  const r = pseudonymizeReference('Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999974592', k);
  t.equal(r, `Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|${k.identifier('9999974592')}`);
  t.notMatch(r!, /9999974592/);
  t.equal(pseudonymizeReference('Patient?name=peter&birthdate=1974-12-25', k), undefined, 'no identifier → removed');
  t.equal(pseudonymizeRequestUrl('Patient?identifier=urn:oid:1.2|123&name=x', k), `Patient?identifier=urn:oid:1.2|${k.identifier('123')}`);
});

t.test('unknown forms are refused (fail closed)', async (t) => {
  for (const r of ['NotAType/1', 'patient/1', 'just text', 'Patient/', 'mailto:a@b.c']) t.equal(pseudonymizeReference(r, k), undefined, r);
});

t.test('patient resolution from references', async (t) => {
  t.equal(referencedPatientId('Patient/123'), '123');
  t.equal(referencedPatientId('urn:uuid:ABC'), 'abc');
  t.equal(referencedPatientId('Group/1'), undefined);
  t.equal(referencedPatientId('https://x/fhir/Patient/9/_history/1'), '9');
});
