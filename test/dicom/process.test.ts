import t from 'tap';
import { Readable, Writable } from 'node:stream';
import { keep, processInstance, remove, tagOf, type EditRule } from '../../src/dicom/index.js';
import { rechunked } from '../helpers/rechunk.js';
import { parseWithOracle } from './oracle.js';
import { readSample } from './tokenize-helpers.js';

function sink(): { w: Writable; bytes: () => Buffer } {
  const parts: Buffer[] = [];
  const w = new Writable({
    write(b: Buffer, _e, cb) {
      parts.push(b);
      cb();
    },
  });
  return { w, bytes: () => Buffer.concat(parts) };
}

t.test('processInstance applies the rule and writes a readable file', async (t) => {
  const s = sink();
  await processInstance(rechunked(readSample('ts/CT_small.dcm'), 1000), s.w, (el) => (el.tag === tagOf('PatientName') ? remove : keep));
  const ds = parseWithOracle(s.bytes());
  t.equal(ds.elements.x00100010, undefined);
  t.equal(ds.string('x00100020'), '1CT1');
});

t.test('truncated input rejects with the code and destroys the output', async (t) => {
  const s = sink();
  await t.rejects(processInstance(Readable.from([readSample('edge-cases/MR_truncated.dcm')]), s.w, () => keep), { code: 'DICOM_TRUNCATED' });
  t.ok(s.w.destroyed, 'output destroyed');
});

t.test('a rule that throws fails the instance without leaking its message', async (t) => {
  const s = sink();
  const rule: EditRule = (el) => {
    if (el.tag === tagOf('PatientName')) throw new Error('secret DOE^JANE');
    return keep;
  };
  const err = await processInstance(Readable.from([readSample('ts/MR_small.dcm')]), s.w, rule).catch((e: unknown) => e);
  t.match(err, { code: 'INTERNAL' });
  t.notMatch((err as Error).message, /DOE/);
});

t.test('a rule returning nonsense is an error, not a pass-through', async (t) => {
  const s = sink();
  const rule = (() => 'maybe') as unknown as EditRule;
  await t.rejects(processInstance(Readable.from([readSample('ts/MR_small.dcm')]), s.w, rule), { code: 'INTERNAL' });
});
