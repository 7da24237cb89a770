import t from 'tap';
import { Readable } from 'node:stream';
import {
  dicomEditor, dicomTokenizer, dicomWriter, keep, remove, replace, tagOf, UNDEFINED_LENGTH,
  type DicomToken, type EditRule,
} from '../../src/dicom/index.js';
import { findAll, parseWithOracle } from './oracle.js';
import { collect, readSample, tokenize } from './tokenize-helpers.js';

const PATIENT_NAME = tagOf('PatientName')!;
const PATIENT_ID = tagOf('PatientID')!;

/** The small example rule set: drop names, replace ids (differently when nested). */
const rules: EditRule = (el, path) => {
  if (el.tag === PATIENT_NAME) return remove;
  if (el.tag === PATIENT_ID) return replace(path.length === 0 ? 'ANON-0001' : 'NESTED-ID');
  return keep;
};

async function edit(buf: Buffer, rule: EditRule, maxBufferedBytes?: number): Promise<Buffer> {
  const parts = await collect<Buffer>([Readable.from([buf]), dicomTokenizer(), dicomEditor(rule, { maxBufferedBytes }), dicomWriter()]);
  return Buffer.concat(parts);
}

const samples = [
  'ts/CT_small.dcm', // explicit LE, PatientID inside OtherPatientIDsSequence items
  'ts/MR_small_implicit.dcm',
  'ts/MR_small_bigendian.dcm',
  'ts/report_dfl.dcm', // deflated
  'encapsulated/explicit_VR-UN.dcm', // PatientName labelled UN
  'encapsulated/JPEG2000-embedded-sequence-delimiter.dcm',
  'rt/rtplan.dcm',
  'sr/test-SR.dcm',
  'multiframe/CT0012.fragmented_no_bot_jpeg_baseline.51.dcm',
];

for (const name of samples) {
  t.test(`${name}: remove PatientName, replace PatientID, oracle sees it`, async (t) => {
    const input = readSample(name);
    const before = parseWithOracle(input);
    const names = findAll(before, 'x00100010');
    const ids = findAll(before, 'x00100020');
    t.ok(names.length + ids.length > 0, 'the sample has something to edit');
    const out = await edit(input, rules);
    const after = parseWithOracle(out);
    t.same(findAll(after, 'x00100010'), [], 'no PatientName at any depth');
    t.same(
      findAll(after, 'x00100020'),
      ids.map((x) => ({ depth: x.depth, value: x.depth === 0 ? 'ANON-0001' : 'NESTED-ID' })),
      'every PatientID replaced, nested ones too',
    );
    // Everything else is untouched: same elements with the same bytes at top level.
    for (const [k, el] of Object.entries(before.elements)) {
      if (k === 'x00100010' || k === 'x00100020' || k.startsWith('x0002') || el.items) continue;
      const a = after.elements[k];
      t.ok(a, `${k} still there`);
      if (!a || el.length > 4096) continue;
      const va = Buffer.from(before.byteArray.subarray(el.dataOffset, el.dataOffset + el.length));
      const vb = Buffer.from(after.byteArray.subarray(a.dataOffset, a.dataOffset + a.length));
      if (!va.equals(vb)) t.fail(`${k} changed`);
    }
  });
}

t.test('a nested value inside a sequence changes; its containers get undefined length', async (t) => {
  const input = readSample('rt/rtplan.dcm');
  const REF = tagOf('ReferencedSOPInstanceUID')!;
  const rule: EditRule = (el, path) => (el.tag === REF && path.length >= 1 ? replace('1.2.3.4.5') : keep);
  const before = findAll(parseWithOracle(input), 'x00081155');
  t.ok(before.length > 0 && before.some((x) => x.value !== '1.2.3.4.5'));
  const out = await edit(input, rule);
  const after = findAll(parseWithOracle(out), 'x00081155');
  t.same(after.map((x) => x.depth), before.map((x) => x.depth));
  t.ok(after.every((x) => x.value === '1.2.3.4.5'), 'every nested ReferencedSOPInstanceUID replaced');
  // UI is padded with NUL to even length.
  const tokens = await tokenize(out);
  const el = tokens.find((x) => x.type === 'element' && x.header.tag === REF);
  t.ok(el && el.type === 'element' && el.value.equals(Buffer.from('1.2.3.4.5\0', 'latin1')));
  // Sequences holding an edit were rewritten with undefined length; others kept theirs.
  const inTokens = await tokenize(input);
  const seqLen = (ts: DicomToken[]) => ts.filter((x) => x.type === 'sequenceStart').map((x) => x.type === 'sequenceStart' && x.header.length);
  const a = seqLen(inTokens);
  const b = seqLen(tokens);
  t.equal(a.length, b.length);
  t.ok(b.some((l, i) => l === UNDEFINED_LENGTH && a[i] !== UNDEFINED_LENGTH), 'some defined-length sequences became undefined');
  t.ok(b.some((l, i) => l !== UNDEFINED_LENGTH && l === a[i]), 'unedited sequences kept their defined length');
});

t.test('keep-all rule through the editor is byte-identical', async (t) => {
  for (const name of ['rt/rtplan.dcm', 'sequences-private/waveform_ecg.dcm', 'ts/CT1_UNC.implicit_little_endian.dcm']) {
    const input = readSample(name);
    t.ok((await edit(input, () => keep)).equals(input), name);
  }
});

t.test('a tiny buffer budget still yields a valid file', async (t) => {
  const input = readSample('sequences-private/waveform_ecg.dcm');
  const out = await edit(input, rules, 1024);
  const ds = parseWithOracle(out);
  t.same(findAll(ds, 'x00100010'), []);
  t.equal(findAll(ds, 'x00100020')[0]?.value, 'ANON-0001');
  const wf = ds.elements.x54000100?.items?.length;
  t.ok(wf && wf > 0, 'WaveformSequence still parses');
});

t.test('removing and replacing large values and whole sequences', async (t) => {
  const input = readSample('sequences-private/waveform_ecg.dcm');
  const WAVEFORM = tagOf('WaveformSequence')!;
  const out = await edit(input, (el) => (el.tag === WAVEFORM ? remove : keep));
  const ds = parseWithOracle(out);
  t.notOk(ds.elements.x54000100, 'sequence removed');
  t.equal(out.length < input.length, true);

  const ct = readSample('ts/CT1_UNC.explicit_little_endian.dcm');
  const PIXEL = tagOf('PixelData')!;
  const blank = Buffer.alloc(512 * 512 * 2);
  const out2 = await edit(ct, (el) => (el.tag === PIXEL ? (t.equal(el.value, undefined, 'large value not held'), replace(blank)) : keep));
  const ds2 = parseWithOracle(out2);
  t.equal(ds2.elements.x7fe00010?.length, blank.length);
  t.ok(Buffer.from(ds2.byteArray.subarray(ds2.elements.x7fe00010!.dataOffset, ds2.elements.x7fe00010!.dataOffset + 16)).equals(Buffer.alloc(16)));

  const emptied = await edit(readSample('ts/CT_small.dcm'), (el) => (el.tag === tagOf('OtherPatientIDsSequence') ? replace('') : keep));
  const ds3 = parseWithOracle(emptied);
  t.equal(ds3.elements.x00101002?.length, 0, 'replaced sequence is empty');
});

t.test('replacement strings are ASCII-safe and padded per VR', async (t) => {
  const input = readSample('ts/MR_small.dcm');
  const out = await edit(input, (el) => {
    if (el.tag === PATIENT_NAME) return replace('Dœ^Jöhn');
    if (el.tag === tagOf('SOPInstanceUID')) return replace('1.2.3');
    return keep;
  });
  const toks = await tokenize(out);
  const get = (tag: number) => {
    const x = toks.find((y) => y.type === 'element' && y.header.tag === tag);
    return x && x.type === 'element' ? x.value : undefined;
  };
  t.same(get(PATIENT_NAME), Buffer.from('D?^J?hn ', 'latin1'), 'PN padded with space');
  t.same(get(tagOf('SOPInstanceUID')!), Buffer.from('1.2.3\0', 'latin1'), 'UI padded with NUL');
});

t.test('a string replacement for a binary VR is refused', async (t) => {
  await t.rejects(edit(readSample('ts/MR_small.dcm'), (el) => (el.tag === tagOf('Rows') ? replace('12') : keep)), { code: 'DICOM_UNSUPPORTED' });
});

t.test('rules see the path of every nested element', async (t) => {
  const seen: string[] = [];
  await edit(readSample('ts/CT_small.dcm'), (el, path) => {
    if (el.tag === PATIENT_ID) seen.push(path.map((p) => `${p.tag.toString(16)}[${p.item}]`).join('/'));
    return keep;
  });
  t.same(seen, ['', '101002[0]', '101002[1]']);
});

t.test('several rules: the first decision other than keep wins', async (t) => {
  const input = readSample('ts/CT_small.dcm');
  const out = Buffer.concat(
    await collect<Buffer>([
      Readable.from([input]),
      dicomTokenizer(),
      dicomEditor([(el) => (el.tag === PATIENT_ID ? replace('FIRST') : keep), (el) => (el.tag === PATIENT_ID ? remove : keep), rules]),
      dicomWriter(),
    ]),
  );
  const ds = parseWithOracle(out);
  t.same(findAll(ds, 'x00100020').map((x) => x.value), ['FIRST', 'FIRST', 'FIRST']);
  t.same(findAll(ds, 'x00100010'), [], 'the third rule still applies to PatientName');
});
