import t from 'tap';
import { Readable } from 'node:stream';
import { dicomWriter, type DicomToken } from '../../src/dicom/index.js';
import { parseMetaWithOracle, parseWithOracle } from './oracle.js';
import { collect, datasetOffset, readSample, roundTrip, tokenize } from './tokenize-helpers.js';

function metaGroupLength(tokens: DicomToken[]): { declared: number | undefined; actual: number } {
  const meta = tokens.find((x) => x.type === 'meta');
  if (!meta || meta.type !== 'meta') throw new Error('no meta');
  const gl = meta.elements.find((e) => e.header.tag === 0x00020000);
  const actual = meta.elements.filter((e) => e.header.tag !== 0x00020000).reduce((n, e) => n + e.header.raw!.length + e.value.length, 0);
  return { declared: gl?.value.readUInt32LE(0), actual };
}

t.test('MediaStorageSOPInstanceUID is replaced and the group length recomputed', async (t) => {
  for (const name of ['ts/MR_small.dcm', 'ts/MR_small_bigendian.dcm', 'ts/CT1_UNC.implicit_little_endian.dcm', 'ts/image_dfl.dcm']) {
    const input = readSample(name);
    const inTokens = await tokenize(input);
    const newUid = '2.25.123456789012345678901234567890123';
    const out = await roundTrip(input, { writer: { mediaStorageSOPInstanceUID: newUid } });
    const outTokens = await tokenize(out);
    const gl = metaGroupLength(outTokens);
    t.equal(gl.declared, gl.actual, `${name}: (0002,0000) matches the group`);
    t.equal(parseMetaWithOracle(out).string('x00020003'), newUid, `${name}: oracle reads the new UID`);
    t.equal(parseMetaWithOracle(out).string('x00020010'), parseMetaWithOracle(input).string('x00020010'), 'transfer syntax kept');
    // The dataset after the meta is untouched (compared as tokens, which covers deflate).
    const body = (ts: DicomToken[]) => JSON.stringify(ts.filter((x) => x.type === 'element').map((x) => x.type === 'element' && x.value.toString('hex')));
    t.equal(body(outTokens), body(inTokens), `${name}: dataset unchanged`);
    if (!name.includes('_dfl')) t.ok(out.subarray(datasetOffset(outTokens)).equals(input.subarray(datasetOffset(inTokens))), 'dataset bytes identical');
  }
});

t.test('the UID can be derived from the old one', async (t) => {
  const input = readSample('ts/CT_small.dcm');
  const old = parseMetaWithOracle(input).string('x00020003');
  const out = await roundTrip(input, { writer: { mediaStorageSOPInstanceUID: (o) => (o === old ? '1.2.3.4' : 'wrong') } });
  t.equal(parseMetaWithOracle(out).string('x00020003'), '1.2.3.4');
});

t.test('a meta without group length gets one when rewritten', async (t) => {
  const input = readSample('edge-cases/no_meta_group_length.dcm');
  t.equal(metaGroupLength(await tokenize(input)).declared, undefined, 'the sample has none');
  const out = await roundTrip(input, { writer: { mediaStorageSOPInstanceUID: '1.2.3.4.5' } });
  const gl = metaGroupLength(await tokenize(out));
  t.equal(gl.declared, gl.actual);
  t.equal(parseMetaWithOracle(out).string('x00020003'), '1.2.3.4.5');
});

t.test('an invalid replacement UID is refused', async (t) => {
  await t.rejects(roundTrip(readSample('ts/MR_small.dcm'), { writer: { mediaStorageSOPInstanceUID: 'DOE^JANE' } }), { code: 'CONFIG_INVALID' });
});

t.test('the writer refuses a defined-length sequence whose content changed size', async (t) => {
  const tokens = await tokenize(readSample('ts/CT_small.dcm'));
  const seq = tokens.findIndex((x) => x.type === 'sequenceStart' && x.header.length !== 0xffffffff);
  t.ok(seq > 0, 'CT_small has a defined-length sequence');
  // Drop one element inside it without asking for undefined length.
  const inner = tokens.findIndex((x, i) => i > seq && x.type === 'element');
  const broken = tokens.filter((_, i) => i !== inner);
  await t.rejects(collect([Readable.from(broken), dicomWriter()]), { code: 'INTERNAL' });
  // With undefinedLength requested on every open container, the same edit is fine.
  const fixed = broken.map((x, i) => (i >= seq && (x.type === 'sequenceStart' || x.type === 'itemStart') ? { ...x, undefinedLength: true } : x));
  const out = Buffer.concat(await collect<Buffer>([Readable.from(fixed), dicomWriter()]));
  t.ok(parseWithOracle(out).elements.x00101002?.items?.length === 2);
});

t.test('an incomplete token stream is an error, not a short file', async (t) => {
  const tokens = await tokenize(readSample('rt/rtplan.dcm'));
  const cut = tokens.slice(0, tokens.findIndex((x) => x.type === 'itemStart') + 2);
  await t.rejects(collect([Readable.from(cut), dicomWriter()]), { code: 'DICOM_TRUNCATED' });
});

t.test('metaElements sets and removes file meta elements, in tag order, with a correct group length', async (t) => {
  for (const name of ['ts/CT1_UNC.explicit_little_endian.dcm', 'ts/MR_small_implicit.dcm', 'ts/image_dfl.dcm']) {
    const input = readSample(name);
    const inTokens = await tokenize(input);
    const metaElements = new Map<number, string | null>([
      [0x00020016, null],
      [0x00020013, 'TEST_IMPL'],
      [0x00020012, '1.2.3.44'],
      [0x00020018, 'RECEIVER'],
      [0x00020100, '1.2.3.45'],
    ]);
    const out = await roundTrip(input, { writer: { metaElements } });
    const outTokens = await tokenize(out);
    const gl = metaGroupLength(outTokens);
    t.equal(gl.declared, gl.actual, `${name}: group length matches`);
    const meta = parseMetaWithOracle(out);
    t.equal(meta.elements.x00020016, undefined, 'SourceApplicationEntityTitle removed');
    t.equal(meta.string('x00020013'), 'TEST_IMPL');
    t.equal(meta.string('x00020012'), '1.2.3.44');
    t.equal(meta.string('x00020018'), 'RECEIVER', 'added');
    t.equal(meta.string('x00020100'), '1.2.3.45', 'added');
    t.equal(meta.string('x00020003'), parseMetaWithOracle(input).string('x00020003'), 'the rest kept');
    const m = outTokens.find((x) => x.type === 'meta');
    const tags = m && m.type === 'meta' ? m.elements.map((e) => e.header.tag) : [];
    t.same(tags, [...tags].sort((a, b) => a - b), 'ascending tag order');
    if (!name.includes('_dfl')) t.ok(out.subarray(datasetOffset(outTokens)).equals(input.subarray(datasetOffset(inTokens))), 'dataset bytes identical');
  }
});

t.test('metaElements that change nothing leave the meta bytes as read; a non-meta tag is refused', async (t) => {
  const input = readSample('ts/CT1_UNC.explicit_little_endian.dcm');
  const impl = parseMetaWithOracle(input).string('x00020013')!;
  const same = await roundTrip(input, { writer: { metaElements: new Map([[0x00020017, null], [0x00020013, impl]]) } });
  t.ok(same.equals(input), 'removing an absent element and setting the same value: identical file');
  await t.rejects(roundTrip(input, { writer: { metaElements: new Map([[0x00100010, 'DOE^JOHN']]) } }), { code: 'INTERNAL' });
  await t.rejects(roundTrip(input, { writer: { metaElements: new Map([[0x00020012, 'not a uid']]) } }), { code: 'CONFIG_INVALID' });
});

t.test('a meta naming the other native VR encoding than the dataset has is written naming the one it has', async (t) => {
  const TS = 0x00020010;
  for (const [sample, wrong, right] of [['ts/MR_small.dcm', '1.2.840.10008.1.2', '1.2.840.10008.1.2.1'], ['ts/MR_small_implicit.dcm', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2']] as const) {
    const mismatched = await roundTrip(readSample(sample), { writer: { metaElements: new Map([[TS, wrong]]) } });
    t.equal(parseMetaWithOracle(mismatched).string('x00020010'), wrong, `${sample}: the input's meta says ${wrong}`);
    const name = parseWithOracle(readSample(sample)).string('x00100010');
    t.ok(name);
    let misread: string | undefined;
    try {
      misread = parseWithOracle(mismatched).string('x00100010');
    } catch {
      misread = undefined;
    }
    t.not(misread, name, 'a reader that trusts the meta does not read it');
    const out = await roundTrip(mismatched);
    t.equal(parseMetaWithOracle(out).string('x00020010'), right);
    t.equal(parseWithOracle(out).string('x00100010'), name, 'read by its meta, the output is the dataset');
    t.same(out.subarray(datasetOffset(await tokenize(out))), readSample(sample).subarray(datasetOffset(await tokenize(readSample(sample)))), 'dataset bytes unchanged');
  }
});

t.test('implicit VR bytes under a meta naming JPEG Baseline (explicit VR) are written explicit; the pixel fragments as read', async (t) => {
  const input = readSample('edge-cases/SC_rgb_jpeg.dcm');
  t.throws(() => parseWithOracle(input).string('x00100010'), 'a reader that trusts the meta cannot read the input');
  const values = new Map<string, string>();
  for (const x of await tokenize(input)) {
    if (x.type === 'element' && x.path.length === 0 && x.header.tag >>> 16 !== 0x0002 && /^(CS|LO|SH|UI|DA|TM|IS|DS)$/.test(x.header.vr)) {
      values.set(`x${x.header.tag.toString(16).padStart(8, '0')}`, x.value.toString('latin1').replace(/[\0 ]+$/, ''));
    }
  }
  t.ok(values.size > 10);
  const out = await roundTrip(input);
  const ds = parseWithOracle(out);
  t.equal(ds.string('x00020010'), '1.2.840.10008.1.2.4.50', 'the syntax stays JPEG Baseline');
  for (const [k, v] of values) t.equal(ds.string(k) ?? '', v.trim(), `${k}: read by its meta, the output is the dataset`);
  t.equal(ds.elements.x7fe00010?.vr, 'OB', 'encapsulated pixel data written OB');
  const fragments = (toks: DicomToken[]) => Buffer.concat(toks.flatMap((x) => (x.type === 'fragment' ? [x.value] : [])));
  const frags = fragments(await tokenize(input));
  t.ok(frags.length > 3000);
  t.same(fragments(await tokenize(out)), frags, 'fragments byte for byte');
});

t.test('a meta without TransferSyntaxUID is written naming the syntax the dataset was read in', async (t) => {
  const input = readSample('edge-cases/meta_missing_tsyntax.dcm');
  t.equal(parseMetaWithOracle(input).string('x00020010'), undefined, 'the input\'s meta has none');
  const out = await roundTrip(input);
  t.equal(parseMetaWithOracle(out).string('x00020010'), '1.2.840.10008.1.2', 'implicit VR little endian, as read');
  const tokens = await tokenize(out);
  t.same(out.subarray(datasetOffset(tokens)), input.subarray(datasetOffset(await tokenize(input))), 'dataset bytes unchanged');
});
