import t from 'tap';
import { failed, type Failed } from '../../src/core/record.js';
import { UnitLedger } from '../../src/operations/unit-ledger.js';

const f = (code: string, type?: string): Failed => failed(code, code, { file: 'x' }, type);

t.test('settles in source order: the checkpoint never passes a record the destination has not confirmed', async (t) => {
  const logged: Failed[] = [];
  const l = new UnitLedger((x) => logged.push(x));
  l.handed('Patient', 'Patient/a');
  l.handed('Patient', 'Patient/b');
  l.failedEarly(f('TRANSFORM_FAILED', 'Patient'), 'Patient/c');
  l.handed('Patient', 'Patient/d');
  t.equal(l.lastDone, undefined, 'nothing confirmed yet');
  t.same(l.live.Patient, { success: 0, failure: 1, pending: 3 });
  l.resolvedUpTo(1);
  t.equal(l.lastDone, 'Patient/a');
  l.handedFailed(1, f('STORE_REJECTED'));
  l.resolvedUpTo(2);
  t.equal(l.lastDone, 'Patient/c', 'a permanent failure settles and the prefix goes on');
  t.same(l.settled.Patient, { success: 1, failure: 2, pending: 0 });
  t.equal(logged.length, 2);
  t.equal(logged[1]!.resourceType, 'Patient', 'a writer failure gets the type of the record it refers to');
  l.resolvedUpTo(3);
  t.equal(l.lastDone, 'Patient/d');
  t.same(l.state(true), { done: true, byType: { Patient: { success: 2, failure: 2, pending: 0 } } });
});

t.test('a transient failure stops the checkpoint and marks the unit for a retry', async (t) => {
  const l = new UnitLedger(() => undefined);
  for (const id of ['a', 'b', 'c']) l.handed('Observation', `Observation/${id}`);
  l.resolvedUpTo(1);
  l.handedFailed(1, f('STORE_UNAVAILABLE'));
  l.resolvedUpTo(3);
  t.equal(l.lastDone, 'Observation/a', 'not past the record that may still be stored by a retry');
  t.ok(l.sawTransient);
  t.same(l.state(true), { done: false, retry: true, byType: { Observation: { success: 2, failure: 1, pending: 0 } } });
  t.same(l.state(false), { done: false, lastDone: 'Observation/a', byType: { Observation: { success: 1, failure: 0, pending: 0 } } });
});

t.test('resuming starts from the settled prefix; stray or repeated outcomes change nothing', async (t) => {
  const l = new UnitLedger(() => undefined, { done: false, lastDone: 'Claim/k', byType: { Claim: { success: 7, failure: 1, pending: 0 } } });
  t.equal(l.lastDone, 'Claim/k');
  l.handed('Claim', 'Claim/m');
  l.handedFailed(5, f('STORE_REJECTED'));
  l.handedFailed(-1, f('STORE_REJECTED'));
  l.resolvedUpTo(1);
  l.handedFailed(0, f('STORE_REJECTED'));
  l.resolvedUpTo(10);
  t.same(l.state(true).byType, { Claim: { success: 8, failure: 1, pending: 0 } });
  t.same(l.totals(), { success: 8, failure: 1, pending: 0 });
});
