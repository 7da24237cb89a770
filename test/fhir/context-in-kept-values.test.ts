import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import type { FhirProfile } from '../../src/config/model.js';

type Json = Record<string, any>;

// Values a sender types that were kept whatever they held: a quantity's unit
// ("beats/min (Quenby Zyxwood)"), a profile claimed in meta.profile built from the
// patient's name, a code system's version, a local one's code, a kept extension's code or id.
const patient = { resourceType: 'Patient', id: 'p7', name: [{ family: 'Zyxwood', given: ['Quenby'] }], identifier: [{ value: 'MRN4455667' }] };

function run(resource: Json, opts: { contextual?: boolean; profile?: FhirProfile; keepExtensions?: boolean } = {}): { out: Json; counts: Map<string, Map<string, number>> } {
  const config = deidDefaultConfig();
  config.fhir = { ...config.fhir!, contextualDeid: opts.contextual ?? true, profile: opts.profile ?? 'BASIC', keepExtensions: opts.keepExtensions ?? false };
  const env = makeFhirEnv(config, Buffer.alloc(32, 0x42));
  deidentifyResource(structuredClone(patient), env);
  return { out: deidentifyResource(resource, env) as Json, counts: env.counts };
}

const observation = (over: Json): Json => ({ resourceType: 'Observation', id: 'o7', status: 'final', code: { text: 'HR' }, subject: { reference: 'Patient/p7' }, ...over });

t.test("a unit holding the patient's values loses them; ordinary units, and a unit equal to its code, stay", async (t) => {
  const { out, counts } = run(observation({
    valueQuantity: { value: 72, unit: 'beats/min (Quenby Zyxwood)', system: 'http://unitsofmeasure.org', code: '/min' },
    component: [
      { code: { text: 'a' }, valueQuantity: { value: 1, unit: 'beats/min', system: 'http://unitsofmeasure.org', code: '/min' } },
      { code: { text: 'b' }, valueQuantity: { value: 2, unit: 'mg', code: 'mg' } },
    ],
    referenceRange: [{ low: { value: 60, unit: 'per MRN4455667' } }],
  }));
  t.equal(out.valueQuantity.unit, 'beats/min ([CTX])');
  t.same(out.valueQuantity.code, '/min');
  t.equal(out.component[0].valueQuantity.unit, 'beats/min');
  t.equal(out.component[1].valueQuantity.unit, 'mg');
  t.equal(out.referenceRange[0].low.unit, 'per [CTX]', 'a SimpleQuantity too');
  t.equal(counts.get('Observation.valueQuantity.unit')?.get('cleaned'), 1);
});

t.test("a claimed profile built from the patient's values goes; published ones stay", async (t) => {
  const { out } = run(observation({ meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab', 'http://example.org/StructureDefinition/Zyxwood-record'] } }));
  t.same(out.meta.profile, ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab']);
  t.ok(out.meta.security.some((s: Json) => s.code === 'REDACTED'));
});

t.test("a local code system's version or code holding the patient's values goes; other versions and codes stay", async (t) => {
  const { out } = run(observation({
    code: { coding: [
      { system: 'http://hospital.example.org/codes', version: 'Zyxwood-2', code: 'R1' },
      { system: 'http://hospital.example.org/codes', version: '2024-01', code: 'R2' },
      { system: 'http://hospital.example.org/codes', code: 'ZYXWOOD', display: 'Chart' },
      { system: 'http://loinc.org', version: '2.77', code: '8867-4' },
    ] },
  }));
  t.same(out.code.coding, [
    { system: 'http://hospital.example.org/codes', code: 'R1' },
    { system: 'http://hospital.example.org/codes', version: '2024-01', code: 'R2' },
    { system: 'http://hospital.example.org/codes', display: 'Chart' },
    { system: 'http://loinc.org', version: '2.77', code: '8867-4' },
  ]);
});

t.test("a published system's version holding the patient's values goes; its code and display stay", async (t) => {
  const { out, counts } = run(observation({
    code: { coding: [
      { system: 'http://loinc.org', version: 'Zyxwood', code: '8867-4', display: 'Heart rate' },
      { system: 'http://snomed.info/sct', version: 'http://snomed.info/sct/731000124108/version/20240301', code: '364075005' },
    ] },
  }));
  t.same(out.code.coding, [
    { system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' },
    { system: 'http://snomed.info/sct', version: 'http://snomed.info/sct/731000124108/version/20240301', code: '364075005' },
  ]);
  t.equal(counts.get('Observation.code.coding.version')?.get('removed'), 1);
  t.ok(out.meta.security.some((s: Json) => s.code === 'REDACTED'));
});

t.test("an identifier system OID with the patient's MRN digits as an arc gets a keyed URN, the same in every identifier", async (t) => {
  const config = deidDefaultConfig();
  const env = makeFhirEnv(config, Buffer.alloc(32, 0x42));
  deidentifyResource({ ...structuredClone(patient), identifier: [{ system: 'http://hospital.example.org/mrn', value: '4455667' }] }, env);
  const out = deidentifyResource(observation({
    identifier: [
      { system: 'urn:oid:1.2.840.4455667', value: 'A1' },
      { system: 'urn:oid:1.2.840.4455667', value: 'A2' },
      { system: 'urn:oid:2.16.840.1.113883.4.3.25', value: 'A3' },
    ],
  }), env) as Json;
  const systems = out.identifier.map((i: Json) => i.system);
  t.match(systems[0], /^urn:deid:[0-9a-f]+$/);
  t.equal(systems[1], systems[0], 'identifiers still match by system');
  t.equal(systems[2], 'urn:oid:2.16.840.1.113883.4.3.25');
  t.notMatch(JSON.stringify(out), /4455667/);
});

t.test("with extensions kept, an extension's code, id or canonical holding the patient's values goes", async (t) => {
  const ext = (url: string, value: Json) => ({ url: `http://example.org/${url}`, ...value });
  const { out } = run({
    ...structuredClone(patient),
    extension: [
      ext('sex', { valueCode: 'F' }),
      ext('nick', { valueCode: 'Zyxwood' }),
      ext('key', { valueId: 'quenby-zyxwood' }),
      ext('oid-ok', { valueOid: 'urn:oid:1.2.3.4' }),
      ext('def', { valueCanonical: 'http://example.org/Questionnaire/Zyxwood' }),
    ],
  }, { keepExtensions: true });
  t.same(out.extension.map((e: Json) => e.url.slice(19)), ['sex', 'oid-ok'], 'the extensions left with no value go whole');
  t.equal(out.extension[0].valueCode, 'F');
  t.notMatch(JSON.stringify(out), /zyxwood|quenby/i);
});

t.test('without contextual de-identification, all three are kept as before; CLEAN_ALL cleans a unit as text', async (t) => {
  const res = observation({
    meta: { profile: ['http://example.org/StructureDefinition/Zyxwood-record'] },
    valueQuantity: { value: 72, unit: 'beats/min (Quenby Zyxwood)', code: '/min' },
  });
  const plain = run(structuredClone(res), { contextual: false }).out;
  t.equal(plain.valueQuantity.unit, 'beats/min (Quenby Zyxwood)');
  t.same(plain.meta.profile, ['http://example.org/StructureDefinition/Zyxwood-record']);
  const named = observation({ valueQuantity: { value: 72, unit: 'beats/min per Dr. John Smith', code: '/min' } });
  t.equal(run(structuredClone(named), { contextual: false }).out.valueQuantity.unit, 'beats/min per Dr. John Smith', 'BASIC: a unit is no free text');
  const clean = run(structuredClone(named), { contextual: false, profile: 'CLEAN_ALL' }).out;
  t.equal(clean.valueQuantity.unit, 'beats/min per Dr. [PERSON_NAME]', 'CLEAN_ALL: cleaned by the detectors');
});
