import t from 'tap';
import { loadKey } from '../../src/core/key.js';
import { Keyed } from '../../src/core/keyed.js';
import { KEY_A } from '../helpers/run-cli.js';
import { expectNowhere, runFhirOnRecords } from '../helpers/fhir-cli-run.js';

type Json = Record<string, any>;

// `deid fhir` kept an Identifier.system and a resource's tags as written: a
// namespace built from the MRN, a host or URN named after the patient, a tag
// whose code or display names them, a local code's display or a code without a
// system naming them came out in the output.
const keyed = new Keyed(loadKey({ env: { DEID_KEY: KEY_A } }).bytes);
const PHI = /zyxsmith|johnathan|7788991/i;

const records: Json[] = [
  {
    resourceType: 'Patient',
    id: 'p1',
    meta: {
      tag: [
        { system: 'http://example.org/tags', code: 'JohnathanZyxsmith', display: 'Chart of Johnathan Zyxsmith' },
        { system: 'http://example.org/tags', code: '01', display: 'Needs Review' },
      ],
    },
    identifier: [
      { system: 'http://ehr.example.org/mrn/MRN-7788991', value: 'A1' },
      { system: 'urn:mrn:JohnathanZyxsmith', value: 'A2' },
      { system: 'https://JOHNATHAN.ZYXSMITH.example.org/ids', value: 'A3' },
      { system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-00-1234' },
      // a surname no list holds: found as the patient's own
      { system: 'http://ehr.example.org/batch/Zyxsmith', value: 'A4' },
    ],
    name: [{ family: 'Zyxsmith', given: ['Johnathan'] }],
  },
  {
    resourceType: 'Observation',
    id: 'o1',
    status: 'final',
    code: { text: 'Heart rate', coding: [{ system: 'http://local.example.org/codes', code: 'L1', display: 'Result for Johnathan Zyxsmith' }, { code: 'Zyxsmith' }] },
    subject: { reference: 'Patient/p1', identifier: { system: 'http://ehr.example.org/mrn/MRN-7788991', value: 'A1' } },
    identifier: [{ system: 'http://ehr.example.org/batch/Zyxsmith', value: 'O1' }],
    contained: [{ resourceType: 'Device', id: 'd', meta: { tag: [{ code: 'zyxsmith-device' }] }, identifier: [{ system: 'urn:mrn:JohnathanZyxsmith', value: 'D1' }] }],
  },
];

t.test('deid fhir: no MRN or name of an identifier system or a tag reaches any output; ordinary ones unchanged and systems still match', async (t) => {
  const run = await runFhirOnRecords(t, records);
  t.equal(run.code, 0, run.stderr);
  const out = run.out;
  t.equal(out.length, records.length);
  expectNowhere(t, run, PHI, 'no MRN or name');

  const [patient, obs] = out as [Json, Json];
  const systems = patient.identifier.map((i: Json) => i.system);
  t.same(systems, [
    `http://ehr.example.org/${keyed.pseudonym('fhir-system-path', '/mrn/MRN-7788991')}`,
    `urn:deid:${keyed.pseudonym('fhir-identifier-system', 'urn:mrn:JohnathanZyxsmith')}`,
    `https://${keyed.pseudonym('fhir-base-host', 'johnathan.zyxsmith.example.org')}.invalid/ids`,
    'http://hl7.org/fhir/sid/us-ssn',
    `http://ehr.example.org/${keyed.pseudonym('fhir-system-path', '/batch/Zyxsmith')}`,
  ]);
  t.equal(obs.identifier[0].system, systems[4], "one system found by the patient's context is the same system in each of their records");
  t.equal(obs.subject.identifier.system, systems[0], 'a logical reference keeps matching its identifier by system');
  t.equal(obs.contained[0].identifier[0].system, systems[1], 'in a contained resource too');
  t.same(
    patient.meta.tag,
    [{ system: 'http://example.org/tags', display: 'Chart of [CTX]' }, { system: 'http://example.org/tags', code: '01', display: 'Needs Review' }],
    "the tag naming the patient loses its code, and its display the patient's name",
  );
  t.equal(obs.contained[0].meta?.tag?.[0]?.code, undefined, 'a contained resource tag with the surname goes');
  t.same(obs.code.coding, [{ system: 'http://local.example.org/codes', code: 'L1', display: 'Result for [CTX]' }], "a local display loses the patient's name, a code without a system naming them goes (and its empty Coding)");

  const rep = run.report;
  t.equal(rep.actions['Patient.identifier.system: pseudonymized'], 4, 'the report counts the systems changed, not the one kept');
  t.equal(rep.actions['Patient.meta.tag.code: removed'], 1, 'and the tag parts removed');
});
