import t from 'tap';
import { parseConfig } from '../../src/config/load-config.js';

const config = { fhir: { fieldMetadataList: [{ paths: ['Patient.name'], action: 'TRANSFORM' }] } };

t.test('a datasets.deidentify request body is unwrapped', async (t) => {
  const bare = parseConfig(config);
  const wrapped = parseConfig({ config, destinationDataset: 'projects/p/locations/l/datasets/out' });
  t.same(wrapped, bare, 'same normalized config and digest');
  t.same(parseConfig({ config }), bare);
  t.same(parseConfig({ config, destinationStore: 'x', resourceFilter: { resources: { resources: ['Patient/1'] } }, skipModifiedResources: true }), bare);
});

t.test('errors inside the wrapper name config.…', async (t) => {
  t.throws(() => parseConfig({ config: { fhir: { fieldMetadataList: [{ paths: ['a..b'], action: 'TRANSFORM' }] } } }, 'req.json'), /req\.json: config\.fhir\.fieldMetadataList\[0\]\.paths\[0\]: component 2 is empty/);
  t.throws(() => parseConfig({ config: { fhir: { bogus: 1 } } }), /config\.fhir\.bogus: unknown key/);
  t.throws(() => parseConfig({ config: { fhir: {}, fhirFieldConfig: {} } }), /: config: sets both fhir/);
  t.throws(() => parseConfig({ config: { text: { excludeInfoTypes: ['AGE'], additionalTransformations: [{ infoTypes: ['AGE'], redactConfig: {} }, { infoTypes: ['AGE'], redactConfig: {} }] } } }), /config\.text\.additionalTransformations\[1\]: names infoType AGE again; first at config\.text\.additionalTransformations\[0\]/);
  t.throws(() => parseConfig({ config: 'fhir' }), /config: must be an object/);
});

t.test('request keys other than config, and gcsConfigUri, are refused', async (t) => {
  t.throws(() => parseConfig({ config, gcsConfigUri: 'gs://b/c.json' }), /gcsConfigUri: only one of config and gcsConfigUri/);
  t.throws(() => parseConfig({ gcsConfigUri: 'gs://b/c.json' }), /gcsConfigUri: configs are read from local files/);
  t.throws(() => parseConfig({ config, sourceDataset: 'x' }), /sourceDataset: unknown key next to config/);
});
