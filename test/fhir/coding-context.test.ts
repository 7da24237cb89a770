import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';

type Json = Record<string, any>;

// A Coding's display was kept whatever it held, and so was a code without a
// system: a local code system's "Result for Johnathan Zyxsmith", an answer's
// valueCoding naming the patient, a systemless code "ZYXSMITH" came out as is.
const patient = { resourceType: 'Patient', id: 'p9', name: [{ family: 'Zyxsmith', given: ['Johnathan'] }], identifier: [{ value: 'MRN7788991' }] };

function run(resource: Json, contextual = true): Json {
  const config = deidDefaultConfig();
  config.fhir = { ...config.fhir!, contextualDeid: contextual };
  const env = makeFhirEnv(config, Buffer.alloc(32, 0x42));
  deidentifyResource(structuredClone(patient), env);
  return deidentifyResource(resource, env) as Json;
}

const obs = (coding: Json[]): Json => ({ resourceType: 'Observation', id: 'o9', status: 'final', subject: { reference: 'Patient/p9' }, code: { coding } });

t.test("the patient's own values leave the displays of local code systems and of codings without one", async (t) => {
  const out = run(obs([
    { system: 'http://hospital.example.org/codes', code: 'R1', display: 'Result for Johnathan Zyxsmith' },
    { display: 'Chart MRN7788991' },
  ]));
  t.same(out.code.coding, [
    { system: 'http://hospital.example.org/codes', code: 'R1', display: 'Result for [CTX]' },
    { display: 'Chart [CTX]' },
  ]);
});

t.test('a code without a system that holds them goes; with a system, or without them, it stays', async (t) => {
  const out = run(obs([{ code: 'ZYXSMITH', display: 'x' }, { code: 'R2' }, { system: 'http://hospital.example.org/codes', code: 'ok-1' }]));
  t.same(out.code.coding, [{ display: 'x' }, { code: 'R2' }, { system: 'http://hospital.example.org/codes', code: 'ok-1' }]);
});

t.test('displays of published terminologies are terminology, whoever the patient is', async (t) => {
  const parkinson = { ...patient, name: [{ family: 'Parkinson', given: ['Ann'] }] };
  const config = deidDefaultConfig();
  const env = makeFhirEnv(config, Buffer.alloc(32, 0x42));
  deidentifyResource(structuredClone(parkinson), env);
  const out = deidentifyResource(obs([
    { system: 'http://snomed.info/sct', code: '49049000', display: "Parkinson's disease" },
    { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'G20', display: "Parkinson's disease" },
    { system: 'http://local.example.org', code: 'L1', display: "Parkinson's disease" },
  ]), env) as Json;
  t.same(out.code.coding.map((c: Json) => c.display), ["Parkinson's disease", "Parkinson's disease", "[CTX]'s disease"]);
});

t.test('without contextual de-identification, displays and codes are kept', async (t) => {
  const out = run(obs([{ code: 'ZYXSMITH', display: 'Result for Johnathan Zyxsmith' }]), false);
  t.same(out.code.coding, [{ code: 'ZYXSMITH', display: 'Result for Johnathan Zyxsmith' }]);
});
