import t from 'tap';
import { parseConfig } from '../../src/config/load-config.js';
import { isDicomPart, type DicomPart } from '../../src/config/normalize-dicom.js';

t.test('v1 fhir and v1beta1 fhirFieldConfig cannot be combined', async (t) => {
  t.throws(() => parseConfig({ fhir: {}, fhirFieldConfig: {} }, 'mix.json'), /mix\.json: \(root\): sets both fhir \(v1\) and fhirFieldConfig \(v1beta1\); use one/);
  t.throws(() => parseConfig({ dicom: {}, dicomTagConfig: {} }), /sets both dicom \(v1\) and dicomTagConfig \(v1beta1\)/);
});

t.test('a v1beta1 action inside v1 fhir (and vice versa) is an unknown key, not ignored', async (t) => {
  t.throws(() => parseConfig({ fhir: { fieldMetadataList: [{ paths: ['Patient.name'], keepField: {} }] } }), /fhir\.fieldMetadataList\[0\]\.keepField: unknown key/);
  t.throws(() => parseConfig({ fhirFieldConfig: { fieldMetadataList: [{ paths: ['Patient.name'], action: 'TRANSFORM' }] } }), /fhirFieldConfig\.fieldMetadataList\[0\]\.action: unknown key/);
  t.throws(() => parseConfig({ fhir: { profileType: 'BASIC' } }), /fhir\.profileType: unknown key/);
});

t.test('the DICOM part keeps the validated object and its generation', async (t) => {
  const v1 = parseConfig({ dicom: { filterProfile: 'ATTRIBUTE_CONFIDENTIALITY_BASIC_PROFILE', skipIdRedaction: true } });
  t.ok(isDicomPart(v1.dicom));
  t.same(v1.dicom, { generation: 'v1', config: { filterProfile: 'ATTRIBUTE_CONFIDENTIALITY_BASIC_PROFILE', skipIdRedaction: true } });
  const b = parseConfig({ dicomTagConfig: { profileType: 'KEEP_ALL_PROFILE', actions: [{ queries: ['PatientName'], cleanTextTag: {} }] } });
  t.equal((b.dicom as DicomPart).generation, 'v1beta1');
  t.same((b.dicom as DicomPart).config, { profileType: 'KEEP_ALL_PROFILE', actions: [{ queries: ['PatientName'], cleanTextTag: {} }] });
  t.equal(parseConfig({ fhir: {} }).dicom, undefined, 'no DICOM part when none is configured');
  t.notOk(isDicomPart({ generation: 'v2', config: {} }));
});

t.test('image config is attached to the DICOM part', async (t) => {
  const c = parseConfig({ image: { textRedactionMode: 'REDACT_ALL_TEXT' } });
  t.same(c.dicom, { generation: 'v1', config: {}, image: { textRedactionMode: 'REDACT_ALL_TEXT' } });
  const d = parseConfig({ dicomTagConfig: {}, image: { textRedactionMode: 'REDACT_NO_TEXT' } });
  t.same(d.dicom, { generation: 'v1beta1', config: {}, image: { textRedactionMode: 'REDACT_NO_TEXT' } });
});

t.test('accepted no-op keys and rejected output-only keys', async (t) => {
  t.doesNotThrow(() => parseConfig({ useRegionalDataProcessing: true, annotation: { storeQuote: true } }));
  t.throws(() => parseConfig({ operationMetadata: { fhirOutput: {} } }), /operationMetadata: operationMetadata is output-only/);
  t.throws(() => parseConfig({ useRegionalDataProcessing: 'true' }), /useRegionalDataProcessing: must be a boolean, got string/);
});

t.test('the normalized config does not alias the input', async (t) => {
  const input = { dicomTagConfig: { actions: [{ queries: ['PatientName'], keepTag: {} }] }, fhir: { fieldMetadataList: [{ paths: ['Patient.name'], action: 'TRANSFORM' }] } };
  const c = parseConfig(input);
  input.dicomTagConfig.actions[0]!.queries[0] = 'PatientID';
  input.fhir.fieldMetadataList[0]!.paths[0] = 'b';
  t.same((c.dicom as DicomPart).config, { actions: [{ queries: ['PatientName'], keepTag: {} }] });
  t.same(c.fhir!.rules[0]!.paths, ['Patient.name']);
});
