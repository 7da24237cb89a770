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

t.test('a component no R4 element, JSON key or type is called is CONFIG_INVALID (the rule would match nothing)', async (t) => {
  for (const [p, n] of [['Patient.nmae', 2], ['HumanName.famly', 2], ['Adress.city', 1], ['Patient.name.Given', 3], ['SSN', 1], ['Observation.ValueY.string', 2]] as const) {
    t.throws(() => compileFieldPath(p, 'fhir.fieldMetadataList[0].paths[1]'), { code: 'CONFIG_INVALID', message: new RegExp(`fhir\\.fieldMetadataList\\[0\\]\\.paths\\[1\\]: component ${n} names no FHIR R4 element or type$`) }, p);
  }
  // Google's FieldMetadata type list, its default config's forms, JSON keys
  for (const p of ['AdministrativeGenderCode', 'Base64Binary', 'Boolean', 'Code', 'Date', 'DateTime', 'Decimal', 'HumanName', 'Id', 'Instant', 'Integer', 'LanguageCode', 'Markdown', 'Oid', 'PositiveInt', 'String', 'UnsignedInt', 'Uri', 'Uuid', 'Xhtml', 'AuditEvent.Agent.altId', 'Condition.OnsetX.string', 'Condition.onsetAge.unit', 'onset[x]', 'Bundle.entry.request.url']) {
    t.doesNotThrow(() => compileFieldPath(p), p);
  }
});

t.test('length and component limits', async (t) => {
  t.throws(() => compileFieldPath('a'.repeat(MAX_PATH_LENGTH + 1)), /longer than/);
  t.throws(() => compileFieldPath(Array(MAX_PATH_COMPONENTS + 1).fill('a').join('.')), /more than 64 components/);
  t.doesNotThrow(() => compileFieldPath(Array(MAX_PATH_COMPONENTS).fill('extension').join('.')));
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
