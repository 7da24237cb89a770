import t from 'tap';
import { PassThrough, Readable } from 'node:stream';
import { Keyed } from '../../src/core/keyed.js';
import { runText } from '../../src/cli/text-command.js';

const KEY = Buffer.alloc(32, 3);

async function go(input: string) {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  out.on('data', (d) => (o += d));
  err.resume();
  const stats = await runText({ key: KEY, findings: false, quote: false, input: Readable.from([Buffer.from(input)]), output: out, stderr: err });
  return { stats, lines: o.trim().split('\n').map((l) => JSON.parse(l) as { id: unknown; text: string }) };
}

function shifted(days: number): string {
  return new Date(Date.UTC(2020, 2, 10) + days * 86400000).toISOString().slice(0, 10);
}

t.test('an id that is not a string keys the date shift by its JSON, so different ids get their own shifts', async (t) => {
  const ids: unknown[] = [{ system: 'urn:mrn', value: '1' }, { system: 'urn:mrn', value: '2' }, { system: 'urn:mrn', value: '3' }, ['a', 'b'], 'a,b', 7];
  const r = await go(ids.map((id) => JSON.stringify({ id, text: 'Admitted 2020-03-10.' })).join('\n') + '\n');
  t.same(r.stats, { in: ids.length, out: ids.length, failed: 0 });
  const keyed = new Keyed(KEY);
  const want = ids.map((id) => `Admitted ${shifted(keyed.dateShiftDays(typeof id === 'string' ? id : JSON.stringify(id)))}.`);
  t.same(r.lines.map((l) => l.text), want);
  // "[object Object]" for every object id gave all of them one shift: one known date undid them all
  t.ok(new Set(want.slice(0, 3)).size > 1, 'the three object ids do not share one shift');
  t.not(want[3], want[4], 'the array ["a","b"] is not the id "a,b"');
  t.equal(want[5], `Admitted ${shifted(keyed.dateShiftDays('7'))}.`, 'a number keys as before');
});

t.test('the context member (the values known to be PHI) is not written back', async (t) => {
  const r = await go(JSON.stringify({ id: 'n1', text: 'Brucer Zzleakzz is calm', context: [{ value: 'Brucer Zzleakzz', infoType: 'PERSON_NAME' }], ward: '4B' }) + '\n');
  t.same(r.lines, [{ id: 'n1', text: '[CTX] is calm', ward: '4B' }], 'other members kept, context left out');
});

t.test('a patient member that is not a string keys the date shift too; a null patient or id keys nothing', async (t) => {
  const keyed = new Keyed(KEY);
  const r = await go(
    [
      { id: 'n1', patient: 12345, text: 'Admitted 2020-03-10.' },
      { id: 'n2', patient: 12345, text: 'Admitted 2020-03-10.' },
      { id: 'n3', patient: { reference: 'Patient/9' }, text: 'Admitted 2020-03-10.' },
      { id: null, text: 'Admitted 2020-03-10.' },
      { id: 'n5', patient: null, text: 'Admitted 2020-03-10.' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n') + '\n',
  );
  t.same(
    r.lines.map((l) => l.text),
    [
      `Admitted ${shifted(keyed.dateShiftDays('12345'))}.`,
      `Admitted ${shifted(keyed.dateShiftDays('12345'))}.`,
      `Admitted ${shifted(keyed.dateShiftDays('{"reference":"Patient/9"}'))}.`,
      'Admitted .',
      `Admitted ${shifted(keyed.dateShiftDays('n5'))}.`,
    ],
    "one patient's notes share its shift (they each had their note's own); null is no key (every null shared one shift)",
  );
});
