import t from 'tap';
import { parseConfig } from '../../src/config/load-config.js';
import { DeidError } from '../../src/core/errors.js';

// Every invalid config is one CONFIG_INVALID error whose message names the
// offending location.
const cases: [string, unknown, RegExp][] = [
  ['not an object', [], /^Configuration is invalid: c\.json: must be a JSON object$/],
  ['null', null, /c\.json: must be a JSON object/],
  ['unknown top-level key', { fhirConfig: {} }, /c\.json: fhirConfig: unknown key$/],
  ['snake_case key', { fhir: { field_metadata_list: [] } }, /fhir\.field_metadata_list: unknown key \(JSON field names are camelCase: fieldMetadataList\)/],
  ['fhir not an object', { fhir: [] }, /fhir: must be an object, got array/],
  ['fieldMetadataList not an array', { fhir: { fieldMetadataList: {} } }, /fhir\.fieldMetadataList: must be an array, got object/],
  ['paths missing', { fhir: { fieldMetadataList: [{ action: 'TRANSFORM' }] } }, /fhir\.fieldMetadataList\[0\]\.paths: is required/],
  ['paths empty', { fhir: { fieldMetadataList: [{ paths: [], action: 'TRANSFORM' }] } }, /fhir\.fieldMetadataList\[0\]\.paths: must list at least one path/],
  ['paths is a string', { fhir: { fieldMetadataList: [{ paths: 'Patient.name', action: 'TRANSFORM' }] } }, /fhir\.fieldMetadataList\[0\]\.paths: must be an array, got string/],
  ['path not a string', { fhir: { fieldMetadataList: [{ paths: [7], action: 'TRANSFORM' }] } }, /fhir\.fieldMetadataList\[0\]\.paths\[0\]: must be a string, got number/],
  ['path syntax', { fhir: { fieldMetadataList: [{ paths: ['Patient.name'], action: 'TRANSFORM' }, { paths: ['Patient.name'], action: 'TRANSFORM' }, { paths: ['Patient.name[0]'], action: 'TRANSFORM' }] } }, /fhir\.fieldMetadataList\[2\]\.paths\[0\]: component 2 is not a field or type name/],
  ['v1beta1 path syntax', { fhirFieldConfig: { fieldMetadataList: [{ paths: ['Patient.name', 'Patient.'], removeField: {} }] } }, /fhirFieldConfig\.fieldMetadataList\[0\]\.paths\[1\]: component 2 is empty/],
  ['action missing', { fhir: { fieldMetadataList: [{ paths: ['Patient.name'] }] } }, /fhir\.fieldMetadataList\[0\]\.action: is required/],
  ['deid unknown key', { deid: { keepIDs: true } }, /deid\.keepIDs: unknown key/],
  ['dateShiftRangeDays 0', { deid: { dateShiftRangeDays: 0 } }, /deid\.dateShiftRangeDays: /],
  ['dateShiftRangeDays fraction', { deid: { dateShiftRangeDays: 1.5 } }, /deid\.dateShiftRangeDays: /],
  ['ageReferenceDate not a date', { deid: { ageReferenceDate: '07/12/2026' } }, /deid\.ageReferenceDate: must be a date YYYY-MM-DD$/],
  ['ageReferenceDate no such day', { deid: { ageReferenceDate: '2026-02-30' } }, /deid\.ageReferenceDate: is no day of the calendar$/],
  ['ageReferenceDate a number', { deid: { ageReferenceDate: 20261207 } }, /deid\.ageReferenceDate: must be a string, got number/],
  ['dicom tag', { dicom: { keepList: { tags: ['Patient Name'] } } }, /dicom\.keepList\.tags\[0\]: must be a tag as 8 hex digits/],
  ['dicom union', { dicom: { keepList: { tags: [] }, removeList: { tags: [] } } }, /dicom: sets keepList and removeList; only one of keepList, removeList, filterProfile/],
  ['dicom action without queries', { dicomTagConfig: { actions: [{ keepTag: {} }] } }, /dicomTagConfig\.actions\[0\]\.queries: is required/],
  ['dicom action twice', { dicomTagConfig: { actions: [{ queries: ['PN'], keepTag: {}, removeTag: {} }] } }, /dicomTagConfig\.actions\[0\]: sets keepTag and removeTag/],
  ['dicom primaryIds', { dicomTagConfig: { options: { primaryIds: 'HASH' } } }, /dicomTagConfig\.options\.primaryIds: must be one of PRIMARY_IDS_OPTION_UNSPECIFIED, KEEP, REGEN/],
  ['image mode', { image: { textRedactionMode: 'ALL' } }, /image\.textRedactionMode: must be one of/],
  ['infoType case', { text: { additionalTransformations: [{ infoTypes: ['Person_Name'], redactConfig: {} }] } }, /text\.additionalTransformations\[0\]\.infoTypes\[0\]: must be an infoType name in upper case/],
];

for (const [name, input, re] of cases) {
  t.test(name, async (t) => {
    const err = t.throws(() => parseConfig(input, 'c.json')) as unknown;
    t.ok(err instanceof DeidError);
    t.equal((err as DeidError).code, 'CONFIG_INVALID');
    t.match((err as DeidError).message, re);
  });
}

t.test('several problems are reported together, capped', async (t) => {
  const list = Array.from({ length: 30 }, () => ({ paths: ['Patient.name'], action: 'NOPE' }));
  const err = t.throws(() => parseConfig({ fhir: { fieldMetadataList: list } }, 'many.json')) as Error;
  t.match(err.message, /many\.json: 30 problems: fhir\.fieldMetadataList\[0\]\.action: /);
  t.match(err.message, /… and 10 more$/);
});

t.test('messages do not echo config values', async (t) => {
  const err = t.throws(() => parseConfig({ fhir: { fieldMetadataList: [{ paths: ['Patient.name'], action: 'SECRET_VALUE_123' }] } })) as Error;
  t.notMatch(err.message, /SECRET_VALUE_123/);
  const err2 = t.throws(() => parseConfig({ deid: { keepIds: 'SECRET_VALUE_456' } })) as Error;
  t.notMatch(err2.message, /SECRET_VALUE_456/);
});
