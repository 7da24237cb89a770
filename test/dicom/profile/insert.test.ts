// InserterCore: new top-level elements go before the first greater tag.
import t from 'tap';
import { InserterCore } from '../../../src/dicom/insert.js';
import type { DicomToken, ElementHeader } from '../../../src/dicom/tokens.js';

const h = (tag: number): ElementHeader => ({ tag, vr: 'LO', length: 2, explicit: true, bigEndian: false });
const el = (tag: number, path: { tag: number; item: number }[] = []): DicomToken => ({ type: 'element', header: h(tag), path, value: Buffer.from('AB') });
const tagsOf = (ts: DicomToken[]): string[] =>
  ts.map((t) => ('header' in t ? `${t.type}:${t.header.tag.toString(16)}` : t.type));

function run(tokens: DicomToken[], tags: number[]): DicomToken[] {
  const c = new InserterCore(tags.map((tag) => ({ tag, vr: 'CS', value: 'YES' })));
  for (const tk of tokens) c.write(tk);
  c.end();
  return c.out;
}

const ds: DicomToken = { type: 'dataset', syntax: { explicit: true, bigEndian: false }, deflated: false, transferSyntaxUID: undefined };

t.test('before the first greater top-level tag, not inside sequences', async (t) => {
  const seq: DicomToken[] = [
    { type: 'sequenceStart', header: { ...h(0x00101002), vr: 'SQ' }, path: [] },
    { type: 'itemStart', header: { ...h(0xfffee000), vr: '' }, path: [{ tag: 0x00101002, item: 0 }], index: 0 },
    el(0x00200000 + 0x0d, [{ tag: 0x00101002, item: 0 }]),
    { type: 'itemEnd' },
    { type: 'sequenceEnd' },
  ];
  const out = run([ds, el(0x00100010), ...seq, el(0x00200010)], [0x00120062, 0x00100011]);
  t.same(tagsOf(out), [
    'dataset', 'element:100010', 'element:100011', 'sequenceStart:101002', 'itemStart:fffee000', 'element:20000d', 'itemEnd', 'sequenceEnd', 'element:120062', 'element:200010',
  ]);
});

t.test('at the end when no greater tag comes; nothing without a dataset', async (t) => {
  t.same(tagsOf(run([ds, el(0x00080020)], [0x00120062])), ['dataset', 'element:80020', 'element:120062']);
  t.same(run([], [0x00120062]), []);
});

t.test('the encoding follows the dataset (implicit, big endian)', async (t) => {
  const out = run([{ ...ds, syntax: { explicit: false, bigEndian: true } } as DicomToken], [0x00120062]);
  const e = out[1] as Extract<DicomToken, { type: 'element' }>;
  t.equal(e.header.explicit, false);
  t.equal(e.header.bigEndian, true);
  t.equal(e.value.toString('latin1'), 'YES ');
});
