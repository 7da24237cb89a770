import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import { sharedData } from '../helpers/run-cli.js';

type Json = Record<string, unknown>;

// Account.name, CareTeam.name and Group.name had only the contextual scrub
// (the values of Patients in the same input), so the R4 examples' own labels
// came out with the patient's name whenever the Patient was in another file:
// "HACC Funded Billing for Peter James Chalmers", "Inpatient: Peter James
// Chalmers", "Peter James Charlmers Care Plan for Inpatient Encounter".
const example = (name: string) => JSON.parse(fs.readFileSync(path.join(sharedData, 'fhir-samples/hl7-r4-examples/resources', `${name}.json`), 'utf8')) as Json;
const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 3));

t.test('the labels of Accounts, CareTeams and Groups go through the detectors', async (t) => {
  t.equal(deidentifyResource(example('Account-example'), env).name, 'HACC Funded Billing for [PERSON_NAME]');
  t.equal(deidentifyResource(example('Account-ewg'), env).name, 'Inpatient: [PERSON_NAME]');
  t.equal(deidentifyResource(example('CareTeam-example'), env).name, '[PERSON_NAME] Care Plan for Inpatient Encounter');
  t.equal(deidentifyResource(example('Group-herd1'), env).name, 'Breeding herd', 'a label without PHI stays');
});

t.test("other resources' names are as they were (a place's, an organisation's)", async (t) => {
  const loc = deidentifyResource({ resourceType: 'Location', id: 'l', name: 'South Wing, second floor' }, env);
  t.equal(loc.name, 'South Wing, second floor');
});
