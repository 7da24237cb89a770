import t from 'tap';
import { readJson, readNdjson } from './helpers/typed-paths.js';
import { matchedPaths } from './helpers/match-real.js';

const patient = readJson('fhir-samples/hl7-r4-examples/resources/Patient-example.json');
const encounters = readNdjson('fhir-samples/bulk-smart-10-patients/Encounter.000.ndjson', 5);

t.test('partial paths match at any depth (Google: Address.city)', async (t) => {
  t.same(matchedPaths(patient, 'Address.city'), ['Patient.address.city', 'Patient.contact.address.city']);
  t.same(matchedPaths(patient, 'Address.String'), matchedPaths(patient, 'Address.string'));
  t.ok(matchedPaths(patient, 'Address.String').includes('Patient.contact.address.line'));
  t.same(matchedPaths(patient, 'city'), ['Patient.address.city', 'Patient.contact.address.city']);
});

t.test('a path starting with a resource type is anchored at that resource', async (t) => {
  t.same(matchedPaths(patient, 'Patient.Address.city'), ['Patient.address.city']);
  t.same(matchedPaths(patient, 'Practitioner.Address.city'), []);
  t.same(matchedPaths(patient, 'Patient.city'), [], 'components must be contiguous');
});

t.test('suffix semantics: the run must end at the node', async (t) => {
  t.same(matchedPaths(patient, 'Patient.Address'), ['Patient.address']);
  t.notOk(matchedPaths(patient, 'Patient.Address').includes('Patient.address.city'));
});

t.test('Period.start across resource types (real Synthea encounters)', async (t) => {
  for (const e of encounters) {
    const starts = matchedPaths(e, 'Period.start');
    t.ok(starts.includes('Encounter.period.start'));
    t.ok(starts.every((p) => p.endsWith('period.start')), starts.join(','));
    t.same(matchedPaths(e, 'Encounter.Period.start'), ['Encounter.period.start'], 'anchored: not participant.period');
    t.same(matchedPaths(e, 'Encounter.Period'), ['Encounter.period']);
    t.same(matchedPaths(e, 'Patient.Period'), []);
  }
});

t.test('Coding.code vs code', async (t) => {
  const codes = matchedPaths(patient, 'Coding.code');
  t.ok(codes.length > 0 && codes.every((p) => p.endsWith('coding.code')));
  const any = matchedPaths(patient, 'code');
  t.ok(any.includes('Patient.gender'), 'lower-case code also names the code type');
  t.ok(any.length > codes.length);
});
