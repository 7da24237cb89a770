import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import { pseudonymizeCriteria } from '../../src/fhir/subscription-criteria.js';
import { Keyed } from '../../src/core/keyed.js';
import { DEFAULT_TEXT_CONFIG } from '../../src/text/default-config.js';
import { sharedData } from '../helpers/run-cli.js';

type Json = Record<string, any>;

// A Subscription's criteria was read as a structured string only (the
// patient's values, dates, emails, SSNs), so the source's ids in it
// (`Observation?patient=Patient/123`) came out as written, unlinked from the
// pseudonymised Patient and naming the source record, and a search for a
// person by name or birth date kept them.
const keyed = new Keyed(Buffer.alloc(32, 5));
const crit = (c: string) => pseudonymizeCriteria(c, keyed, DEFAULT_TEXT_CONFIG);
const id = (v: string) => keyed.fhirId(v);

t.test('ids get their pseudonyms, as in references', async (t) => {
  t.equal(crit('Observation?patient=Patient/123&code=http://loinc.org|1975-2'), `Observation?patient=Patient/${id('123')}&code=http://loinc.org|1975-2`);
  t.equal(crit('Observation?patient=123'), `Observation?patient=${id('123')}`, 'a bare id where the parameter takes one');
  t.equal(crit('Observation?subject=Patient%2F123,Group/g1'), `Observation?subject=Patient/${id('123')},Group/${id('g1')}`, 'encoded, and each of several values');
  t.equal(crit('Encounter?_id=e1&status=finished'), `Encounter?_id=${id('e1')}&status=finished`);
  t.equal(crit('Observation?subject=https://ehr.example.org/fhir/Patient/123'), `Observation?subject=${encodeURIComponent(`https://ehr.example.org/fhir/Patient/${id('123')}`)}`);
  t.equal(crit('Observation?code=1975-2'), 'Observation?code=1975-2', 'codes stay');
  t.equal(crit('Observation'), 'Observation');
});

t.test('identifier values are pseudonymised, person searches go', async (t) => {
  t.equal(crit('Patient?identifier=http://ehr.example.org/mrn|4455667'), `Patient?identifier=http://ehr.example.org/mrn|${encodeURIComponent(keyed.identifier('4455667'))}`);
  t.equal(crit('Patient?name=Zyxwood&birthdate=1924-05-06&gender=female'), 'Patient?gender=female');
  t.equal(crit('Observation?subject:Patient.name=Zyxwood&patient.birthdate=1924&status=final'), 'Observation?status=final', 'chained');
  t.equal(crit('Observation?subject.identifier=4455667'), `Observation?subject.identifier=${encodeURIComponent(keyed.identifier('4455667'))}`);
});

t.test('what cannot be read goes', async (t) => {
  t.equal(crit('NotAType?x=1'), undefined);
  t.equal(crit('Observation?patient=%E0%A4%A'), undefined, 'a value that does not decode');
  t.equal(crit('Quenby Zyxwood'), undefined);
  t.equal(crit('Observation?=x&&novalue&code=1'), 'Observation?code=1');
  t.equal(crit('Observation?subject=https://user:pw@ehr.example.org/fhir/Patient/1'), 'Observation', 'a reference with user information goes');
  const long = `Observation?code=${'1,'.repeat(50_000)}1`;
  t.equal(crit(long), long);
});

t.test('in a record: the R4 example and a hostile one', async (t) => {
  const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 5));
  const example = JSON.parse(fs.readFileSync(path.join(sharedData, 'fhir-samples/hl7-r4-examples/resources/Subscription-example.json'), 'utf8'));
  t.equal((deidentifyResource(structuredClone(example), env) as Json).criteria, example.criteria, 'a search by code stays');
  const hostile = { ...example, criteria: 'Observation?patient=Patient/123&patient.name=Zyxwood&_content=quenby@zyxwood-mail.org' };
  const out = deidentifyResource(structuredClone(hostile), env) as Json;
  t.equal(out.criteria, `Observation?patient=Patient/${env.keyed.fhirId('123')}&_content=[EMAIL_ADDRESS]`);
  t.equal(env.counts.get('Subscription.criteria')?.get('pseudonymized'), 1);
  const bad = deidentifyResource({ ...structuredClone(example), criteria: 'Quenby Zyxwood' }, env) as Json;
  t.equal(bad.criteria, undefined);
  t.equal(env.counts.get('Subscription.criteria')?.get('removed'), 1);
});

t.test('a URL that is no reference stays as a value; an upper-case scheme is still a reference', async (t) => {
  t.equal(crit('Questionnaire?url=http://example.org/fhir/questionnaire/q1'), 'Questionnaire?url=http://example.org/fhir/questionnaire/q1');
  t.equal(crit('Observation?subject=HTTPS://ehr.example.org/fhir/Patient/123'), 'Observation', 'one we cannot pseudonymise goes');
});
