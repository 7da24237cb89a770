import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { parseConfig } from '../../src/config/load-config.js';
import { DeidError } from '../../src/core/errors.js';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import { elementsOf } from '../../src/fhir/r4-types.js';
import type { FhirEnv } from '../../src/fhir/env.js';
import { sharedData } from '../helpers/run-cli.js';

type Json = Record<string, any>;

// A `code` element with a REQUIRED binding (Patient.gender → AdministrativeGender)
// holds one of the value set's codes; any other value is no code but text in a
// code's place (a name typed into Observation.status) and is removed.
const key = Buffer.alloc(32, 0x42);
const basic = () => makeFhirEnv(deidDefaultConfig(), key);
const withConfig = (config: unknown) => makeFhirEnv(parseConfig(config), key);
const LEAK = 'ZZLEAKZZ';

const patient: Json = {
  resourceType: 'Patient',
  id: 'p1',
  gender: LEAK,
  contact: [{ gender: 'female', relationship: [{ text: 'x' }] }, { gender: LEAK, relationship: [{ text: 'y' }] }],
  telecom: [{ system: 'phone', use: 'home', value: '555-0100' }, { system: LEAK, use: 'work', value: '555-0101' }],
};
const observation: Json = { resourceType: 'Observation', id: 'o1', status: 'John Smith', code: { text: 'glucose' } };
const encounter: Json = {
  resourceType: 'Encounter',
  id: 'e1',
  status: LEAK,
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
  statusHistory: [{ status: 'arrived', period: { start: '2020-01-01' } }, { status: LEAK, period: { start: '2020-01-02' } }],
};
const medicationRequest: Json = {
  resourceType: 'MedicationRequest',
  id: 'm1',
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  medicationCodeableConcept: { text: 'x' },
  dosageInstruction: [{ timing: { repeat: { dayOfWeek: ['mon', LEAK, 'fri'], periodUnit: 'd', period: 1 } } }],
};

const removedCounts = (env: FhirEnv): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [k, m] of env.counts) if (m.has('removed')) out[k] = m.get('removed')!;
  return out;
};
const redacted = (res: Json) => (res.meta?.security ?? []).some((c: Json) => c.code === 'REDACTED');

for (const [label, makeEnv] of [
  ['profile only (fast path)', basic],
  // a rule elsewhere makes every leaf go through the rules and profileLeaf
  ['with config rules (slow path)', () => withConfig({ fhirFieldConfig: { profileType: 'BASIC', fieldMetadataList: [{ paths: ['Patient.photo'], removeField: {} }] } })],
] as const) {
  t.test(`${label}: codes outside a required value set are removed, valid ones kept`, async (t) => {
    const env = makeEnv();
    const p = deidentifyResource(structuredClone(patient), env);
    const o = deidentifyResource(structuredClone(observation), env);
    const e = deidentifyResource(structuredClone(encounter), env);
    const m = deidentifyResource(structuredClone(medicationRequest), env);
    for (const res of [p, o, e, m]) {
      t.notOk(JSON.stringify(res).includes(LEAK) || JSON.stringify(res).includes('John Smith'), `${res.resourceType}: no leak`);
      t.ok(redacted(res), `${res.resourceType}: REDACTED label`);
    }
    t.notOk('gender' in p, 'Patient.gender removed');
    t.same(p.contact.map((c: Json) => c.gender), ['female', undefined], 'backbone Patient.contact.gender: valid kept, invalid removed');
    t.same(p.telecom.map((c: Json) => c.system), ['phone', undefined], 'ContactPoint.system checked');
    t.equal(p.telecom[0].use, 'home');
    t.notOk('status' in o, 'Observation.status removed');
    t.notOk('status' in e, 'Encounter.status removed');
    t.same(e.statusHistory.map((h: Json) => h.status), ['arrived', undefined], 'backbone Encounter.statusHistory.status');
    t.equal(e.class.code, 'AMB', 'a Coding.code (no required binding) is kept');
    t.same(m.dosageInstruction[0].timing.repeat.dayOfWeek, ['mon', 'fri'], 'an invalid item of a repeating code is removed');
    t.equal(m.dosageInstruction[0].timing.repeat.periodUnit, 'd');
    t.equal(m.status, 'active');
    t.equal(m.intent, 'order');
    t.same(removedCounts(env), {
      'Patient.gender': 1,
      'Patient.contact.gender': 1,
      'Patient.telecom.system': 1,
      'Patient.telecom.value': 2,
      'Observation.status': 1,
      'Encounter.status': 1,
      'Encounter.statusHistory.status': 1,
      'MedicationRequest.dosageInstruction.timing.repeat.dayOfWeek': 1,
    });
  });
}

t.test('a record with only valid codes gets no REDACTED label from them', async (t) => {
  const env = basic();
  const out = deidentifyResource({ resourceType: 'Observation', id: 'o2', status: 'final', code: { text: 'glucose' } }, env);
  t.equal(out.status, 'final');
  t.notOk(redacted(out));
  t.same(removedCounts(env), {});
});

t.test('a rule keeping the field keeps it as written; so does the KEEP_ALL profile', async (t) => {
  const kept = deidentifyResource(structuredClone(patient), withConfig({ fhirFieldConfig: { profileType: 'BASIC', fieldMetadataList: [{ paths: ['Patient.gender'], keepField: {} }] } }));
  t.equal(kept.gender, LEAK, 'keepField');
  t.notOk(kept.contact.some((c: Json) => c.gender === LEAK), 'other codes still checked');
  const v1 = deidentifyResource(structuredClone(patient), withConfig({ fhir: { fieldMetadataList: [{ paths: ['Patient.gender'], action: 'DO_NOT_TRANSFORM' }] } }));
  t.equal(v1.gender, LEAK, 'DO_NOT_TRANSFORM');
  const keepAll = deidentifyResource(structuredClone(encounter), withConfig({ fhirFieldConfig: { profileType: 'KEEP_ALL' } }));
  t.equal(keepAll.status, LEAK, 'KEEP_ALL keeps every field no rule names as written');
  t.equal(keepAll.statusHistory[1].status, LEAK);
});

/** The type of the element a report key (`Patient.contact.gender`) names, if it names one. */
function typeOfKey(reportKey: string): string | undefined {
  const [root, ...keys] = reportKey.split('.');
  let type: string | undefined = root;
  for (const k of keys) type = type === undefined ? undefined : elementsOf(type).get(k)?.type;
  return type;
}

t.test('the bulk export samples lose no code to the check', async (t) => {
  for (const dir of ['bulk-smart-10-patients', 'bulk-synthea-30-patients']) {
    const env = basic();
    const folder = path.join(sharedData, 'fhir-samples', dir);
    let records = 0;
    let boundCodesKept = 0;
    for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.ndjson')).sort()) {
      for (const line of fs.readFileSync(path.join(folder, file), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const res = JSON.parse(line) as Json;
        let out: Json;
        try {
          out = deidentifyResource(res, env);
        } catch (err) {
          if (err instanceof DeidError) continue; // not a resource: fails before any element is looked at
          throw err;
        }
        records++;
        for (const [k, info] of elementsOf(res.resourceType)) {
          if (info.codes !== undefined && typeof res[k] === 'string' && out[k] === res[k]) boundCodesKept++;
        }
      }
    }
    const codesRemoved = [...env.counts].filter(([k, m]) => m.has('removed') && typeOfKey(k) === 'code').map(([k]) => k);
    t.same(codesRemoved, [], `${dir}: no code element removed`);
    t.ok(records > 1000, `${dir}: ${records} records`);
    t.ok(boundCodesKept > records / 2, `${dir}: ${boundCodesKept} bound top-level codes kept`);
  }
});
