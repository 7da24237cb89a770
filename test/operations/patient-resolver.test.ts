import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { Keyed } from '../../src/core/keyed.js';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { makeFhirEnv } from '../../src/fhir/make-env.js';
import { DEFAULT_CONFIG } from '../../src/config/load-config.js';
import { buildPatientResolver, PatientIndex } from '../../src/operations/patient-resolver.js';
import { FileFhirStore } from '../../src/stores/file-store.js';
import { sharedData } from '../helpers/run-cli.js';

type Json = Record<string, unknown>;
const bulk = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients');
const readType = (type: string): Json[] =>
  fs.readFileSync(path.join(bulk, `${type}.ndjson`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);

t.test('a study UID resolves to the subject of its ImagingStudy, with the key the FHIR engine shifts by', async (t) => {
  const resolve = await buildPatientResolver([new FileFhirStore(bulk, bulk)]);
  const studies = readType('ImagingStudy');
  t.ok(studies.length > 5, 'the sample has imaging studies');
  const key = Buffer.alloc(32, 7);
  const keyed = new Keyed(key);
  const env = makeFhirEnv({ ...DEFAULT_CONFIG, fhir: { ...DEFAULT_CONFIG.fhir!, contextualDeid: false } }, key);
  for (const s of studies) {
    const uid = String((s.identifier as Json[])[0]!.value).slice('urn:oid:'.length);
    const subject = String((s.subject as Json).reference).slice('Patient/'.length);
    const k = resolve('UNRELATED-PATIENT-ID', uid);
    t.equal(k, `Patient/${subject.toLowerCase()}`);
    // the FHIR engine shifted this study's `started` by the days of that same key
    const out = deidentifyResource(structuredClone(s), env) as Json;
    const days = Math.round((Date.parse(String(out.started)) - Date.parse(String(s.started))) / 86_400_000);
    t.equal(days, keyed.dateShiftDays(k), `shift of ${s.id as string}`);
  }
});

t.test('without a study, a Patient identifier value equal to PatientID resolves; else PatientID', async (t) => {
  const resolve = await buildPatientResolver([new FileFhirStore(bulk, bulk)]);
  const patients = readType('Patient');
  let checked = 0;
  const counts = new Map<string, number>();
  for (const p of patients) for (const i of (p.identifier as Json[]) ?? []) counts.set(String(i.value), (counts.get(String(i.value)) ?? 0) + 1);
  for (const p of patients) {
    for (const i of (p.identifier as Json[]) ?? []) {
      if (counts.get(String(i.value)) !== 1) continue;
      t.equal(resolve(String(i.value), '1.2.3.4.5.999'), `Patient/${String(p.id).toLowerCase()}`);
      // DICOM pads values to even length with a space or NUL
      t.equal(resolve(`${String(i.value)} `, '1.2.3.4.5.999\0'), `Patient/${String(p.id).toLowerCase()}`);
      checked++;
    }
  }
  t.ok(checked >= patients.length, 'every patient has at least one identifier checked');
  t.equal(resolve('NOT-IN-FHIR', '1.2.3.4.5.999'), 'PatientID/NOT-IN-FHIR');
  t.equal(resolve('', ''), 'PatientID/');
});

t.test('an identifier two patients share resolves to neither; hostile inputs are ignored', async (t) => {
  const idx = new PatientIndex();
  idx.learn({ resourceType: 'Patient', id: 'a', identifier: [{ value: 'SHARED' }, { value: 'A1' }] });
  idx.learn({ resourceType: 'Patient', id: 'b', identifier: [{ value: 'SHARED' }] });
  idx.learn({ resourceType: 'ImagingStudy', id: 's', identifier: [{ value: 'urn:oid:1.2.3' }, { value: 42 }], subject: { reference: 'Patient/b' } });
  idx.learn({ resourceType: 'ImagingStudy', id: 'no-subject', identifier: [{ value: 'urn:oid:9.9' }] });
  for (const junk of [null, 42, 'Patient', [], { resourceType: 'Patient' }, { resourceType: 'Patient', id: 'c', identifier: 'x' }, { resourceType: 'Bundle', entry: [null, { resource: { resourceType: 'Patient', id: 'd', identifier: [{ value: 'D1' }] } }] }]) idx.learn(junk);
  t.equal(idx.resolve('SHARED', '0'), 'PatientID/SHARED');
  t.equal(idx.resolve('A1', '0'), 'Patient/a');
  t.equal(idx.resolve('A1', '1.2.3'), 'Patient/b', 'the study wins over the identifier');
  t.equal(idx.resolve('X', '9.9'), 'PatientID/X', 'a study without subject does not resolve');
  t.equal(idx.resolve('D1', '0'), 'Patient/d', 'Bundle entries are learnt');
});
