import t from 'tap';
import { parseConfig } from '../../src/config/load-config.js';

t.test('keepIds turns id pseudonymisation off (default on)', async (t) => {
  t.equal(parseConfig({}).fhir!.pseudonymizeIds, true);
  t.equal(parseConfig({ deid: { keepIds: false } }).fhir!.pseudonymizeIds, true);
  t.equal(parseConfig({ deid: { keepIds: true } }).fhir!.pseudonymizeIds, false);
  t.equal(parseConfig({ fhir: {}, deid: { keepIds: true } }).fhir!.pseudonymizeIds, false, 'v1');
  t.equal(parseConfig({ fhirFieldConfig: {}, deid: { keepIds: true } }).fhir!.pseudonymizeIds, false, 'v1beta1');
});

t.test('dateShiftRangeDays (default 100, 1…36500 whole days)', async (t) => {
  t.equal(parseConfig({}).fhir!.dateShiftRangeDays, 100);
  t.equal(parseConfig({ deid: { dateShiftRangeDays: 7 } }).fhir!.dateShiftRangeDays, 7);
  t.equal(parseConfig({ fhir: {}, deid: { dateShiftRangeDays: 1 } }).fhir!.dateShiftRangeDays, 1);
  t.equal(parseConfig({ deid: { dateShiftRangeDays: 36500 } }).fhir!.dateShiftRangeDays, 36500);
  for (const bad of [0, -5, 36501, 2.5, '30', null]) {
    t.throws(() => parseConfig({ deid: { dateShiftRangeDays: bad } }), /deid\.dateShiftRangeDays: /, String(bad));
  }
});

t.test('an empty deid block changes nothing but the digest', async (t) => {
  const a = parseConfig({});
  const b = parseConfig({ deid: {} });
  t.same(b.fhir, a.fhir);
  t.same(b.text, a.text);
  t.not(b.digest, a.digest);
});

t.test('deid.dicom is accepted by the shared loader (one file for every command) and still validated', async (t) => {
  const both = { fhir: {}, dicom: { filterProfile: 'DEIDENTIFY_TAG_CONTENTS' }, deid: { keepIds: true, dicom: { options: ['retainUIDs'], allowBurnedIn: true } } };
  const c = parseConfig(both);
  t.same(c.fhir, parseConfig({ fhir: {}, deid: { keepIds: true } }).fhir, 'the FHIR plan ignores deid.dicom');
  t.ok(parseConfig({ deid: { dicom: { options: { retainLongModifiedDates: false } } } }));
  t.throws(() => parseConfig({ deid: { dicom: { options: ['retainEverything'] } } }), /deid\.dicom\.options\[0\]: must be one of/);
  t.throws(() => parseConfig({ deid: { dicom: { allowBurnedIn: 'yes' } } }), /deid\.dicom\.allowBurnedIn/);
  t.throws(() => parseConfig({ deid: { dicom: { optoins: [] } } }), /optoins/, 'unknown keys inside deid.dicom still fail');
  t.throws(() => parseConfig({ deid: { dicomm: {} } }), /dicomm/, 'unknown keys inside deid still fail');
});
