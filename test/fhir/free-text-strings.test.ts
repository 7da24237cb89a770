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

// Strings a person types into a bill, a schedule, an audit trail or a plan
// were read for the patient's own values and dates only, so a phone number, an
// email or a stranger's name in them passed (found by planting PHI into every
// string of the HL7 R4 examples).
t.test('reasons, exceptions, instructions and times told in words go through the detectors', async (t) => {
  const phi = ' Please call John Smith at 617-555-0199 or jsmith@example.com.';
  const cases: [Json, (r: Json) => unknown][] = [
    [{ resourceType: 'ChargeItem', id: 'ci', status: 'billable', code: { text: 'x' }, subject: { reference: 'Patient/p' }, overrideReason: "Patient is Cardiologist's golf buddy, so he gets a 20% discount!" + phi }, (r) => r.overrideReason],
    [{ resourceType: 'PractitionerRole', id: 'pr', availabilityExceptions: 'Adam is generally unavailable on public holidays.' + phi }, (r) => r.availabilityExceptions],
    [{ resourceType: 'HealthcareService', id: 'hs', availabilityExceptions: 'Reduced capacity during the holidays.' + phi }, (r) => r.availabilityExceptions],
    [{ resourceType: 'Location', id: 'l', availabilityExceptions: 'Closed on Sundays.' + phi }, (r) => r.availabilityExceptions],
    [{ resourceType: 'RequestGroup', id: 'rg', status: 'draft', intent: 'plan', action: [{ textEquivalent: 'Administer medication 1.' + phi }] }, (r) => (r.action as Json[])[0]!.textEquivalent],
    [{ resourceType: 'NutritionOrder', id: 'no', status: 'active', intent: 'order', patient: { reference: 'Patient/p' }, dateTime: '2020-01-01', enteralFormula: { administrationInstruction: '240 mls every 4hrs.' + phi } }, (r) => (r.enteralFormula as Json).administrationInstruction],
    [{ resourceType: 'Invoice', id: 'inv', status: 'cancelled', cancelledReason: 'Billed twice.' + phi }, (r) => r.cancelledReason],
    [{ resourceType: 'AuditEvent', id: 'ae', type: { code: 'rest' }, recorded: '2020-01-01T00:00:00Z', agent: [{ requestor: true }], source: { observer: { display: 'x' } }, outcomeDesc: 'Successful disclosure.' + phi }, (r) => r.outcomeDesc],
    [{ resourceType: 'Subscription', id: 's', status: 'error', reason: 'Monitor new results.' + phi, criteria: 'Observation?code=x', error: "Socket error: can't connect." + phi, channel: { type: 'rest-hook' } }, (r) => `${r.reason} ${r.error}`],
    [{ resourceType: 'Contract', id: 'k', term: [{ offer: {}, action: [{ intent: { text: 'x' }, status: { text: 'x' }, reason: ['Requested by the patient.' + phi] }] }] }, (r) => (((r.term as Json[])[0]!.action as Json[])[0]!.reason as string[])[0]],
    [{ resourceType: 'Procedure', id: 'pc', status: 'completed', subject: { reference: 'Patient/p' }, performedString: 'in the spring, at home.' + phi }, (r) => r.performedString],
    [{ resourceType: 'Immunization', id: 'im', status: 'completed', vaccineCode: { text: 'x' }, patient: { reference: 'Patient/p' }, occurrenceString: 'December 2011.' + phi }, (r) => r.occurrenceString],
    [{ resourceType: 'CarePlan', id: 'cp', status: 'active', intent: 'plan', subject: { reference: 'Patient/p' }, activity: [{ detail: { status: 'scheduled', scheduledString: 'Every morning.' + phi } }] }, (r) => (((r.activity as Json[])[0]!.detail as Json).scheduledString)],
    [{ resourceType: 'Goal', id: 'go', lifecycleStatus: 'active', description: { text: 'x' }, subject: { reference: 'Patient/p' }, target: [{ detailString: 'Walk to the shop.' + phi }] }, (r) => (r.target as Json[])[0]!.detailString],
  ];
  for (const [res, pick] of cases) {
    const out = pick(deidentifyResource(res, env)) as string;
    t.type(out, 'string', `${res.resourceType}: kept as text`);
    t.notMatch(out, /Smith|617-555-0199|jsmith@example\.com/, `${res.resourceType}: PHI found`);
    t.match(out, /Please call \[PERSON_NAME\] at \[PHONE_NUMBER\] or \[EMAIL_ADDRESS\]\.$/, `${res.resourceType}: replaced by infoType`);
  }
  // the text around the PHI stays (it is what the field is for)
  const ci = deidentifyResource(cases[0]![0], env);
  t.match(ci.overrideReason, /^Patient is Cardiologist's golf buddy, so he gets a 20% discount!/);
});

// Strings that are not free text (names of organisations and places, lot
// numbers, product names) were read for the patient's own values and dates
// only: an email or an SSN typed into one passed.
t.test('an email or an SSN in a string that is not free text is replaced; the rest stays', async (t) => {
  const org = deidentifyResource({ resourceType: 'Organization', id: 'org', name: 'Gastroenterology (referrals: jane.roe@example.org)', alias: ['Clinic 078-05-1120'] }, env);
  t.equal(org.name, 'Gastroenterology (referrals: [EMAIL_ADDRESS])');
  t.same(org.alias, ['Clinic [US_SOCIAL_SECURITY_NUMBER]']);
  const med = deidentifyResource({ resourceType: 'Medication', id: 'm', batch: { lotNumber: '2019-10-11-33' } }, env);
  t.same(med.batch, { lotNumber: '2019-10-11-33' }, 'a lot number shaped like a phone number stays');
  const loc = deidentifyResource({ resourceType: 'Location', id: 'l', name: 'South Wing, second floor' }, env);
  t.equal(loc.name, 'South Wing, second floor');
});
