import t from 'tap';
import { ChildCache, type KeptWhole } from '../../src/fhir/child-elements.js';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { DEFAULT_FHIR_PLAN, deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import type { Seg } from '../../src/fhir/node-path.js';

type Json = Record<string, unknown>;

const root = (type: string): Seg[] => [{ name: type, jsonName: type, type }];

t.test('keptAs: the JSON type of a primitive the profile keeps whole, undefined elsewhere', async (t) => {
  const asked: string[] = [];
  const keptWhole: KeptWhole = (path, type) => {
    asked.push(`${path.map((s) => s.jsonName).join('.')}:${type}`);
    return type !== 'date';
  };
  const kids = new ChildCache({ ...DEFAULT_FHIR_PLAN }).of('Patient', 'Patient', true);
  t.equal(kids.get('gender', root('Patient'), keptWhole)?.keptAs, 'string');
  t.equal(kids.get('active', root('Patient'), keptWhole)?.keptAs, 'boolean');
  t.equal(kids.get('multipleBirthInteger', root('Patient'), keptWhole)?.keptAs, 'number');
  t.equal(kids.get('birthDate', root('Patient'), keptWhole)?.keptAs, undefined, 'the profile may change it');
  t.equal(kids.get('name', root('Patient'), keptWhole)?.keptAs, undefined, 'not a primitive');
  t.equal(kids.get('name', root('Patient'), keptWhole)?.key, 'Patient.name');
  t.same(asked, ['Patient.gender:code', 'Patient.active:boolean', 'Patient.multipleBirthInteger:integer', 'Patient.birthDate:date'], 'decided once per element, on its own path');
  t.equal(kids.get('notAnElement', root('Patient'), keptWhole), undefined);
});

t.test('a parent key met under another type gets that type\'s elements', async (t) => {
  const cache = new ChildCache({ ...DEFAULT_FHIR_PLAN });
  const always: KeptWhole = () => true;
  t.ok(cache.of('Coding', 'X.y', false).get('code', [], always));
  const other = cache.of('Quantity', 'X.y', false);
  t.equal(other.type, 'Quantity');
  t.equal(other.get('code', [], always)?.info.type, 'code');
  t.ok(other.get('unit', [], always), 'Quantity.unit');
  t.equal(other.get('display', [], always), undefined, 'Coding.display is not a Quantity element');
});

t.test('a kept path still refuses a value of the wrong JSON type, in arrays too', async (t) => {
  const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 0x42));
  const obs = (code: unknown): Json => ({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code }] },
  });
  // the first record makes Coding.code a kept path; later ones meet the cached decision
  const first = deidentifyResource(obs('1234-5'), env);
  t.same((first.code as Json).coding, [{ system: 'http://loinc.org', code: '1234-5' }]);
  for (const bad of [999145933, true, null, { v: 'ZZLEAK' }, ['ZZLEAK']]) {
    const out = deidentifyResource(obs(bad), env);
    t.same((out.code as Json).coding, [{ system: 'http://loinc.org' }], `${JSON.stringify(bad)} removed`);
  }
});
