import fs from 'node:fs';
import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';

type Json = Record<string, unknown>;

// A FHIR time outside FHIR's ranges was shifted and kept: hours and minutes
// were any two digits, so `T24:00:00`, `T99:99:99` and a `+15:00` zone came
// out as dates. Such a value is no FHIR dateTime and is removed (fail closed);
// the edges FHIR allows (23:59:60, ±14:00, nine fraction digits) stay.
const obs = JSON.parse(fs.readFileSync('data/samples/fhir/Observation.ndjson', 'utf8').split('\n')[0]!) as Json;
const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 6));
const effective = (v: string) => deidentifyResource({ ...obs, effectiveDateTime: v }, env).effectiveDateTime;
const issued = (v: string) => deidentifyResource({ ...obs, issued: v }, env).issued;

t.test('times out of range are removed', async (t) => {
  for (const v of ['2019-05-06T24:00:00Z', '2019-05-06T99:99:99Z', '2019-05-06T10:60:00Z', '2019-05-06T10:00:61Z', '2019-05-06T10:00:00+15:00', '2019-05-06T10:00:00-14:30', '2019-05-06T10:00:00+05:60']) {
    t.equal(effective(v), undefined, v);
    t.equal(issued(v), undefined, `${v} (instant)`);
  }
});

t.test('the edges FHIR allows are shifted and kept', async (t) => {
  for (const v of ['2019-05-06T23:59:60Z', '2019-05-06T00:00:00+14:00', '2019-05-06T00:00:00-14:00', '2019-05-06T12:30:00.123456789-12:00', '2020-02-29T00:00:00Z']) {
    const out = effective(v);
    t.type(out, 'string', v);
    t.not(out, v, `${v} shifted`);
    t.equal((out as string).slice(10), v.slice(10), 'time and zone kept');
  }
});
