import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';

type Json = Record<string, unknown>;

// Free-text strings of less common resources went through the contextual
// scrub only (the patient's own values and dates), so a name, an address or an
// MRN of someone else, or any name when the Patient was not in the input,
// passed: OperationOutcome diagnostics echoing a record, a ClaimResponse's
// disposition, times told in words (bornString, onsetString…). A family
// member's name, which is nothing but a relative's name, passed whole.
const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 1));

t.test('free-text strings of less common resources go through the detectors', async (t) => {
  const oo = deidentifyResource({ resourceType: 'OperationOutcome', id: 'oo', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'Patient John Smith (MRN 12345678) born 01/02/1950: invalid gender' }] }, env);
  const diag = (oo.issue as Json[])[0]!.diagnostics as string;
  t.notMatch(diag, /Smith|12345678|01\/02\/1950/);
  t.match(diag, /^Patient \[PERSON_NAME\] \(MRN \[MEDICAL_RECORD_NUMBER\]\) born \d\d\/\d\d\/\d{4}: invalid gender$/);
  const cr = deidentifyResource({ resourceType: 'ClaimResponse', id: 'cr', status: 'active', type: { text: 'x' }, use: 'claim', patient: { reference: 'Patient/p' }, created: '2020-01-01', insurer: { reference: 'Organization/o' }, outcome: 'complete', disposition: 'Paid to John Smith at 123 Main St' }, env);
  t.equal(cr.disposition, 'Paid to [PERSON_NAME] at [STREET_ADDRESS]');
  const cond = deidentifyResource({ resourceType: 'Condition', id: 'c', subject: { reference: 'Patient/p' }, onsetString: 'since her visit to Boston' }, env);
  t.equal(cond.onsetString, 'since her visit to [LOCATION]');
  const goal = deidentifyResource({ resourceType: 'Goal', id: 'g', lifecycleStatus: 'cancelled', description: { text: 'walk' }, subject: { reference: 'Patient/p' }, statusReason: 'moved to Boston with John Smith' }, env);
  t.equal(goal.statusReason, 'moved to [LOCATION] with [PERSON_NAME]');
});

t.test("a family member's name is removed; the history stays", async (t) => {
  const fmh = deidentifyResource({ resourceType: 'FamilyMemberHistory', id: 'f1', status: 'completed', patient: { reference: 'Patient/p' }, relationship: { text: 'mother' }, name: 'Zelphina Quarterfield', bornString: 'in Springfield in the spring of 1931' }, env);
  t.equal(fmh.name, undefined);
  t.same(fmh.relationship, { text: 'mother' });
  t.equal(fmh.bornString, 'in [LOCATION] in the spring of 1931');
});
