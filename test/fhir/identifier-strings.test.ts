import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import { Keyed } from '../../src/core/keyed.js';

type Json = Record<string, unknown>;

// Safe Harbor numbers held as plain strings, not Identifiers, came out as
// written: Coverage.subscriberId (a health plan beneficiary number, (I)),
// Device.serialNumber and distinctIdentifier and the UDI's human-readable
// carrier with the unit's serial ((M)), prior-authorisation numbers ((R)).
// They now get the pseudonym an Identifier.value of the same number gets;
// the UDI carriers, which hold several numbers, are removed.
const key = Buffer.alloc(32, 6);
const env = makeFhirEnv(deidDefaultConfig(), key);
const pseudonym = (v: string) => new Keyed(key).identifier(v);

t.test('subscriber ids, serial numbers and prior authorisations are pseudonymised like identifiers', async (t) => {
  const cov = deidentifyResource({ resourceType: 'Coverage', id: 'c1', status: 'active', subscriberId: 'XQH123456789', identifier: [{ value: 'XQH123456789' }], beneficiary: { reference: 'Patient/p' } }, env);
  t.equal(cov.subscriberId, pseudonym('XQH123456789'));
  t.equal((cov.identifier as Json[])[0]!.value, cov.subscriberId, 'the same number as an Identifier gets the same pseudonym');
  const dev = deidentifyResource(
    { resourceType: 'Device', id: 'd1', serialNumber: 'PJN123456R', distinctIdentifier: 'D-99', lotNumber: 'L-77812', udiCarrier: [{ deviceIdentifier: '00844588003288', carrierHRF: '(01)00844588003288(21)PJN123456R', carrierAIDC: 'KDAxKTAwODQ0NTg4MDAzMjg4' }] },
    env,
  );
  t.equal(dev.serialNumber, pseudonym('PJN123456R'));
  t.equal(dev.distinctIdentifier, pseudonym('D-99'));
  t.equal(dev.lotNumber, 'L-77812', 'a lot is shared by a batch');
  t.same(dev.udiCarrier, [{ deviceIdentifier: '00844588003288' }], 'the model stays, the carriers with the serial go');
  t.notMatch(JSON.stringify(dev), 'PJN123456R');
  const eob = deidentifyResource({ resourceType: 'ExplanationOfBenefit', id: 'e', status: 'active', preAuthRef: ['PA-123456'], insurance: [{ focal: true, coverage: { reference: 'Coverage/c1' }, preAuthRef: ['PA-9'] }] }, env);
  t.same(eob.preAuthRef, [pseudonym('PA-123456')]);
  t.same((eob.insurance as Json[])[0]!.preAuthRef, [pseudonym('PA-9')]);
  const claim = deidentifyResource({ resourceType: 'Claim', id: 'cl', status: 'active', insurance: [{ sequence: 1, focal: true, coverage: { reference: 'Coverage/c1' }, preAuthRef: ['PA-9'] }] }, env);
  t.same((claim.insurance as Json[])[0]!.preAuthRef, [pseudonym('PA-9')]);
});

t.test('elements of the same names elsewhere are not touched by this rule', async (t) => {
  // Specimen.container has no serialNumber in R4; a Claim's preAuthRef under another element would be unknown and removed anyway
  const med = deidentifyResource({ resourceType: 'Medication', id: 'm', batch: { lotNumber: '88812' } }, env);
  t.same(med.batch, { lotNumber: '88812' });
});

t.test("a coverage class's value (a group number, or the member's own Rx id) is pseudonymised like an identifier", async (t) => {
  const cov = deidentifyResource({
    resourceType: 'Coverage', id: 'c2', status: 'active', beneficiary: { reference: 'Patient/p' }, payor: [{ display: 'Acme' }],
    class: [{ type: { text: 'group' }, value: 'GRP-55443', name: 'Acme Gold' }, { type: { text: 'rxid' }, value: 'RX-7781234' }],
  }, env);
  const classes = cov.class as Json[];
  t.equal(classes[0]!.value, pseudonym('GRP-55443'));
  t.equal(classes[1]!.value, pseudonym('RX-7781234'));
  t.equal(classes[0]!.name, 'Acme Gold', 'the plan\u2019s name stays');
  t.notMatch(JSON.stringify(cov), /55443|7781234/);
});
