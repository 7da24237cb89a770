import t from 'tap';
import { createHash } from 'node:crypto';
import { parseConfig } from '../../src/config/load-config.js';
import { canonicalJson, configDigest } from '../../src/config/digest.js';

const config = {
  text: { excludeInfoTypes: ['AGE', 'GENDER'] },
  fhirFieldConfig: { profileType: 'CLEAN_ALL', fieldMetadataList: [{ removeField: {}, paths: ['Patient.photo'] }] },
};
const reordered = {
  fhirFieldConfig: { fieldMetadataList: [{ paths: ['Patient.photo'], removeField: {} }], profileType: 'CLEAN_ALL' },
  text: { excludeInfoTypes: ['AGE', 'GENDER'] },
};

t.test('canonical JSON sorts keys at every level and keeps array order', async (t) => {
  t.equal(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } }), '{"a":{"c":"x","d":[3,1]},"b":1}');
  t.equal(canonicalJson({ a: undefined, b: null }), '{"b":null}');
  t.equal(canonicalJson('é\u2028'), JSON.stringify('é\u2028'));
});

t.test('digest is sha256 hex of the canonical JSON', async (t) => {
  const c = parseConfig(config);
  t.match(c.digest, /^[0-9a-f]{64}$/);
  t.equal(c.digest, createHash('sha256').update(canonicalJson(config)).digest('hex'));
  t.equal(c.digest, configDigest(config));
});

t.test('same config, any key order, same digest; repeated parses agree', async (t) => {
  const a = parseConfig(config);
  t.equal(parseConfig(reordered).digest, a.digest);
  for (let i = 0; i < 5; i++) t.same(parseConfig(structuredClone(config)), a);
});

t.test('any change changes the digest', async (t) => {
  const base = parseConfig(config).digest;
  const variants = [
    { ...config, text: { excludeInfoTypes: ['GENDER', 'AGE'] } },
    { ...config, text: { excludeInfoTypes: ['AGE'] } },
    { ...config, deid: { dateShiftRangeDays: 100 } },
    { ...config, fhirFieldConfig: { ...config.fhirFieldConfig, profileType: 'BASIC' } },
  ];
  const digests = variants.map((v) => parseConfig(v).digest);
  for (const d of digests) t.not(d, base);
  t.equal(new Set(digests).size, digests.length);
});

t.test('explicit defaults are part of the config as given (digest differs from {})', async (t) => {
  t.not(parseConfig({ deid: { dateShiftRangeDays: 100 } }).digest, parseConfig({}).digest);
  t.same(parseConfig({ deid: { dateShiftRangeDays: 100 } }).fhir, parseConfig({}).fhir);
});
