import t from 'tap';
import { loadPhysionet, splitByPatient, splitDev } from '../../eval/text/corpora.js';

/** The development half's second split (design on part A, accept on part B): by patient, deterministic, no test-half note. */
t.test('dev parts A and B split the development half by patient', async (t) => {
  const { dev } = splitByPatient(loadPhysionet());
  const a = splitDev(dev);
  const b = splitDev(dev);
  t.same(a.A.map((d) => d.id), b.A.map((d) => d.id), 'same split every run');
  t.equal(a.A.length + a.B.length, dev.length, 'every dev note in one part');
  const groupsA = new Set(a.A.map((d) => d.group));
  t.ok(a.B.every((d) => !groupsA.has(d.group)), 'no patient in both parts');
  t.ok([...a.A, ...a.B].every((d) => Number(d.group) % 2 === 1), 'only development-half (odd) patients');
  t.ok(a.A.length > 300 && a.B.length > 300, 'both parts hold hundreds of notes');
});
