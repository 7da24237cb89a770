import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';

type Json = Record<string, any>;

// A Coding's or a Quantity's system was kept as written, and a system that
// starts like a publisher's URI was taken for that publisher's, so a code
// system built from the record's values, or the patient's name written after
// `http://loinc.org `, passed, with the code and display beside it kept as
// published terminology (found by planting the patient's values into every
// string of the HL7 R4 examples).
const patient = { resourceType: 'Patient', id: 'p9', name: [{ family: 'Zyxwood', given: ['Quenby'] }], identifier: [{ value: '4455667' }] };

function run(resource: Json, contextual = true): { out: Json; counts: Map<string, Map<string, number>> } {
  const config = deidDefaultConfig();
  config.fhir = { ...config.fhir!, contextualDeid: contextual };
  const env = makeFhirEnv(config, Buffer.alloc(32, 0x17));
  deidentifyResource(structuredClone(patient), env);
  return { out: deidentifyResource(resource, env) as Json, counts: env.counts };
}

const observation = (over: Json): Json => ({ resourceType: 'Observation', id: 'o9', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/p9' }, ...over });

t.test("a local code system built from the patient's values gets a keyed system, the same in every coding", async (t) => {
  const coding = (system: string) => ({ system, code: 'GLU', display: 'Glucose' });
  const { out, counts } = run(observation({
    code: { coding: [coding('http://ehr.example.org/results/QuenbyZyxwood'), coding('http://quenby.zyxwood.example.org/codes'), coding('http://ehr.example.org/codes'), coding('http://ema.europa.eu/example/countryCode')] },
    category: [{ coding: [coding('http://ehr.example.org/results/QuenbyZyxwood')] }],
  }));
  const [a, b, c, d] = out.code.coding;
  t.equal(d.system, 'http://ema.europa.eu/example/countryCode', 'a vocabulary is not read for names (the detectors would take "ema" for one)');
  t.match(a.system, /^http:\/\/ehr\.example\.org\/[0-9a-f]{32}$/, 'the path with the name is pseudonymised');
  t.match(b.system, /^http:\/\/[0-9a-f]{32}\.invalid\/codes$/, 'the host with the name is pseudonymised');
  t.equal(c.system, 'http://ehr.example.org/codes', 'an ordinary local system stays');
  t.equal(out.category[0].coding[0].system, a.system, 'one system, one pseudonym');
  t.same([a.code, a.display], ['GLU', 'Glucose'], 'code and display are not PHI and stay');
  t.equal(counts.get('Observation.code.coding.system')?.get('pseudonymized'), 2);
  t.match(out.meta.security, [{ code: 'PSEUDED' }]);
});

t.test("the patient's values after a publisher's URI: not that publisher's system", async (t) => {
  const { out } = run(observation({
    code: { coding: [{ system: 'http://loinc.org Quenby Zyxwood 4455667', code: '2345-7 Zyxwood', display: 'Glucose for Quenby Zyxwood' }] },
  }));
  const [c] = out.code.coding;
  t.match(c.system, /^http:\/\/[0-9a-f]{32}\.invalid$/, 'a host with spaces in it is no host we can read');
  t.equal(c.code, undefined, 'a code holding the patient\'s values goes');
  t.equal(c.display, 'Glucose for [CTX]');
  t.notMatch(JSON.stringify(out), /Zyxwood|Quenby|4455667/);
  // without the patient's values to look for, the system still goes: it is unreadable
  const bare = run(observation({ code: { coding: [{ system: 'http://loinc.org Quenby Zyxwood', code: '2345-7' }] } }), false).out;
  t.match(bare.code.coding[0].system, /^http:\/\/[0-9a-f]{32}\.invalid$/);
  const urn = run(observation({ code: { coding: [{ system: 'urn:codes:labs Quenby', code: '1' }] } }), false).out;
  t.match(urn.code.coding[0].system, /^urn:deid:[0-9a-f]{32}$/, 'nor is any other URI');
});

t.test('published systems stay as written, codes and displays too', async (t) => {
  const codings = [
    { system: 'http://loinc.org', code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' },
    { system: 'http://snomed.info/sct', version: 'http://snomed.info/sct/731000124108/version/20230301', code: '271062006', display: 'Fasting blood glucose measurement' },
    { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'H', display: 'High' },
  ];
  const { out } = run(observation({ code: { coding: structuredClone(codings) }, valueQuantity: { value: 6.3, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' } }));
  t.same(out.code.coding, codings);
  t.same(out.valueQuantity, { value: 6.3, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' });
});

t.test("a quantity's own unit system: read as a local code system", async (t) => {
  const { out, counts } = run(observation({
    valueQuantity: { value: 3, unit: 'tabs Zyxwood', system: 'http://ehr.example.org/units/Zyxwood', code: 'tabs Zyxwood' },
    component: [
      { code: { text: 'a' }, valueQuantity: { value: 1, unit: 'kg/m2 Quenby Zyxwood', system: 'http://unitsofmeasure.org Quenby Zyxwood', code: 'kg/m2 Quenby Zyxwood' } },
      { code: { text: 'b' }, valueQuantity: { value: 2, unit: 'tabs', system: 'http://ehr.example.org/units', code: 'tabs' } },
    ],
  }));
  t.match(out.valueQuantity.system, /^http:\/\/ehr\.example\.org\/[0-9a-f]{32}$/);
  t.equal(out.valueQuantity.code, undefined, 'a local code holding the patient\'s values goes');
  t.equal(out.valueQuantity.unit, 'tabs [CTX]', 'a unit equal to a local code is still read');
  t.match(out.component[0].valueQuantity.system, /^http:\/\/[0-9a-f]{32}\.invalid$/);
  t.equal(out.component[0].valueQuantity.code, undefined);
  t.equal(out.component[0].valueQuantity.unit, 'kg/m2 [CTX]');
  t.same(out.component[1].valueQuantity, { value: 2, unit: 'tabs', system: 'http://ehr.example.org/units', code: 'tabs' }, 'an ordinary local unit stays');
  t.equal(counts.get('Observation.valueQuantity.code')?.get('removed'), 1);
  t.notMatch(JSON.stringify(out), /Zyxwood|Quenby/);
});

t.test('an identifier system with words after a space: the part they are in is pseudonymised', async (t) => {
  const { out } = run({ resourceType: 'Patient', id: 'p10', identifier: [{ system: 'http://hospital.example.org/mrn Quenby Zyxwood', value: '1' }, { system: 'http://hospital.example.org/mrn', value: '2' }] });
  t.match(out.identifier[0].system, /^http:\/\/hospital\.example\.org\/[0-9a-f]{32}$/);
  t.equal(out.identifier[1].system, 'http://hospital.example.org/mrn');
});
