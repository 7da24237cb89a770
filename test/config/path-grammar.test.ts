import t from 'tap';
import { compileFieldPath, compileRules, MAX_PATH_COMPONENTS, MAX_PATH_LENGTH } from '../../src/config/fhir-path-match.js';
import { DeidError } from '../../src/core/errors.js';

t.test('valid paths compile and keep their components', async (t) => {
  for (const p of ['Patient.Address.city', 'Address.String', 'HumanName.given', 'Deceased.Age.unit', 'Condition.OnsetX.string', 'onset[x]', 'value', 'Device.UdiCarrier.carrierHRF']) {
    const m = compileFieldPath(p);
    t.same(m.components, p.split('.'), p);
    t.equal(m.source, p);
  }
});

t.test('invalid syntax is CONFIG_INVALID naming the config location and the component', async (t) => {
  const cases: [string, RegExp][] = [
    ['', /is empty/],
    ['Patient..name', /component 2 is empty/],
    ['.name', /component 1 is empty/],
    ['Patient.', /component 2 is empty/],
    ['Patient.name[0]', /component 2 is not a field or type name/],
    ['Patient.na me', /component 2 is not a field or type name/],
    ['Patient/name', /component 1 is not a field or type name/],
    ['1Patient', /component 1 is not a field or type name/],
    ['_birthDate', /component 1 is not a field or type name/],
    ['Patient.name.*', /component 3/],
    [' Patient.name', /component 1/],
    ['Patient.name ', /component 2/],
    ['Patient.näme', /component 2/],
  ];
  for (const [p, re] of cases) {
    const err = t.throws(() => compileFieldPath(p, 'fhir.fieldMetadataList[2].paths[0]')) as unknown;
    t.ok(err instanceof DeidError, JSON.stringify(p));
    const e = err as DeidError;
    t.equal(e.code, 'CONFIG_INVALID');
    t.match(e.message, /fhir\.fieldMetadataList\[2\]\.paths\[0\]: /);
    t.match(e.message, re, JSON.stringify(p));
  }
});

t.test('length and component limits', async (t) => {
  t.throws(() => compileFieldPath('a'.repeat(MAX_PATH_LENGTH + 1)), /longer than/);
  t.throws(() => compileFieldPath(Array(MAX_PATH_COMPONENTS + 1).fill('a').join('.')), /more than 64 components/);
  t.doesNotThrow(() => compileFieldPath(Array(MAX_PATH_COMPONENTS).fill('a').join('.')));
});

t.test('a non-string path is rejected, not coerced', async (t) => {
  t.throws(() => compileFieldPath(42 as unknown as string, 'x.paths[0]'), /x\.paths\[0\]: must be a string/);
});

t.test('compileRules names the rule and path index of a bad path', async (t) => {
  const rules = [
    { paths: ['Patient.name'], action: { kind: 'keep' as const } },
    { paths: ['Patient.id', 'Patient..id'], action: { kind: 'remove' as const } },
  ];
  t.throws(() => compileRules(rules, 'fhirFieldConfig.fieldMetadataList'), /fhirFieldConfig\.fieldMetadataList\[1\]\.paths\[1\]: component 2 is empty/);
  t.throws(() => compileRules(rules), /rules\[1\]\.paths\[1\]/);
});
