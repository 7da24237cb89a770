import t from 'tap';
import { dicomTokenizer, dicomWriter, tagOf, UNDEFINED_LENGTH, type DicomToken } from '../../src/dicom/index.js';
import { runChunked, STANDARD_PLANS } from '../helpers/rechunk.js';
import { parseWithOracle } from './oracle.js';
import { MALFORMED, sampleFiles } from './samples.js';
import { readSample, roundTrip, tokenize, tokenKey } from './tokenize-helpers.js';

function topLevel(tokens: DicomToken[]): { tag: number; length: number }[] {
  const out: { tag: number; length: number }[] = [];
  for (const x of tokens) {
    if (x.type === 'meta') for (const e of x.elements) out.push({ tag: e.header.tag, length: e.value.length });
    if ((x.type === 'element' || x.type === 'valueStart' || x.type === 'sequenceStart' || x.type === 'fragmentsStart') && x.path.length === 0 && !(x.type === 'valueStart' && x.fragment !== undefined)) {
      out.push({ tag: x.header.tag, length: x.type === 'element' ? x.value.length : x.header.length });
    }
  }
  return out;
}
const key = (tag: number) => 'x' + tag.toString(16).padStart(8, '0');

t.test('top-level elements agree with dicom-parser on every sample it can read', async (t) => {
  let compared = 0;
  for (const name of sampleFiles()) {
    if (MALFORMED[name]) continue;
    const input = readSample(name);
    let ds;
    try {
      ds = parseWithOracle(input);
    } catch {
      continue; // the oracle cannot read every edge case
    }
    const ours = topLevel(await tokenize(input));
    t.same(ours.map((e) => key(e.tag)).sort(), Object.keys(ds.elements).sort(), `${name}: same tags`);
    for (const e of ours) {
      const theirs = ds.elements[key(e.tag)];
      if (e.length !== UNDEFINED_LENGTH && theirs && !theirs.items && !theirs.encapsulatedPixelData && theirs.length !== e.length) {
        t.fail(`${name} ${key(e.tag)}: length ${e.length} vs ${theirs.length}`);
      }
    }
    compared++;
  }
  t.ok(compared >= 60, `compared ${compared} files`);
});

t.test('fragments are walked by item length, not by searching for delimiters', async (t) => {
  const input = readSample('encapsulated/JPEG2000-embedded-sequence-delimiter.dcm');
  const tokens = await tokenize(input);
  const frags = tokens.filter((x) => x.type === 'fragment');
  const oracle = parseWithOracle(input).elements.x7fe00010!.fragments!;
  t.same(frags.map((f) => f.type === 'fragment' && f.value.length), [0, ...oracle.map((f) => f.length)], 'offset table + same fragments');
  const delim = Buffer.from([0xfe, 0xff, 0xdd, 0xe0]);
  t.ok(frags.some((f) => f.type === 'fragment' && f.value.includes(delim)), 'a fragment really contains a delimiter pattern');
});

t.test('the three MR_small encodings give the same string values', async (t) => {
  const strings = async (name: string) => {
    const m = new Map<number, string>();
    for (const x of await tokenize(readSample(name))) {
      if (x.type === 'element' && x.path.length === 0 && ['PN', 'LO', 'SH', 'CS', 'DA', 'TM', 'UI', 'DS', 'IS'].includes(x.header.vr)) {
        m.set(x.header.tag, x.value.toString('latin1'));
      }
    }
    return m;
  };
  const le = await strings('ts/MR_small.dcm');
  const imp = await strings('ts/MR_small_implicit.dcm');
  const be = await strings('ts/MR_small_bigendian.dcm');
  t.ok(le.size > 20);
  for (const [tag, v] of imp) t.equal(le.get(tag), v, `implicit ${key(tag)}`);
  for (const [tag, v] of be) t.equal(le.get(tag), v, `big endian ${key(tag)}`);
});

t.test('syntax detection', async (t) => {
  const ds = async (name: string) => (await tokenize(readSample(name))).find((x) => x.type === 'dataset');
  t.match(await ds('edge-cases/ExplVR_BigEndNoMeta.dcm'), { syntax: { explicit: true, bigEndian: true }, transferSyntaxUID: undefined });
  t.match(await ds('edge-cases/ExplVR_LitEndNoMeta.dcm'), { syntax: { explicit: true, bigEndian: false } });
  t.match(await ds('rt/rtstruct.dcm'), { syntax: { explicit: false, bigEndian: false }, transferSyntaxUID: undefined });
  t.match(await ds('edge-cases/SC_rgb_jpeg.dcm'), { syntax: { explicit: false }, transferSyntaxUID: '1.2.840.10008.1.2.4.50' }, 'declared explicit, found implicit');
  t.match(await ds('ts/wave_dfl.dcm'), { deflated: true, syntax: { explicit: true } });
  t.match(await ds('ts/CT1_UNC.explicit_big_endian.dcm'), { syntax: { bigEndian: true } });
});

t.test('a UN sequence of undefined length is parsed as implicit VR LE items', async (t) => {
  const tokens = await tokenize(readSample('sequences-private/UN_sequence.dcm'));
  const un = tokens.find((x) => x.type === 'sequenceStart' && x.header.vr === 'UN');
  t.ok(un, 'UN sequence found');
  const inner = tokens.filter((x) => x.type === 'element' && x.path.length > 0);
  t.ok(inner.length > 0 && inner.every((x) => x.type === 'element' && !x.header.explicit), 'nested elements are implicit');
});

t.test('implicit VR private sequences of undefined length are sequences', async (t) => {
  const tokens = await tokenize(readSample('sequences-private/nested_priv_SQ.dcm'));
  const seqs = tokens.filter((x) => x.type === 'sequenceStart');
  t.equal(seqs.length, 2);
  t.ok(seqs.every((x) => x.type === 'sequenceStart' && (x.header.tag >>> 16) % 2 === 1 && x.header.length === UNDEFINED_LENGTH));
  const deepest = tokens.find((x) => x.type === 'element' && x.path.length === 2);
  t.ok(deepest, 'an element two sequences deep');
});

t.test('parsing continues after PixelData', async (t) => {
  const tokens = await tokenize(readSample('edge-cases/MR_small_padded.dcm'));
  const tags = tokens.filter((x) => x.type === 'element').map((x) => x.type === 'element' && x.header.tag);
  const px = tags.indexOf(tagOf('PixelData')!);
  t.ok(px >= 0);
  t.same(tags.slice(px + 1), [0xfffcfffc], 'DataSetTrailingPadding after the pixel data');
});

t.test('large values stream in fixed chunks; small ones come whole', async (t) => {
  const input = readSample('ts/CT1_UNC.explicit_little_endian.dcm');
  const tokens = await tokenize(input, { maxValueBytes: 1024, chunkBytes: 10000 });
  const start = tokens.findIndex((x) => x.type === 'valueStart' && x.header.tag === tagOf('PixelData'));
  t.ok(start > 0);
  const chunks: Buffer[] = [];
  let i = start + 1;
  for (; tokens[i]!.type === 'valueChunk'; i++) chunks.push((tokens[i] as { bytes: Buffer }).bytes);
  t.equal(tokens[i]!.type, 'valueEnd');
  t.ok(chunks.slice(0, -1).every((c) => c.length === 10000), 'every chunk but the last is chunkBytes long');
  t.equal(chunks.reduce((n, c) => n + c.length, 0), 512 * 512 * 2);
  t.ok(tokens.every((x) => x.type !== 'element' || x.value.length <= 1024), 'no whole value above maxValueBytes');
});

// Some writers put "DICM" at byte 0, leaving the 128-byte preamble out; such a file was refused as
// "not a DICOM dataset". It is now read as the part-10 file it is and written with a zero preamble.
t.test('DICM at byte 0 without preamble: read as part 10, written with a zero preamble, in every chunking', async (t) => {
  const small = { maxValueBytes: 64, chunkBytes: 50 };
  const names = [
    'ts/CT1_UNC.explicit_little_endian.dcm', 'ts/CT1_UNC.implicit_little_endian.dcm', 'ts/MR_small_bigendian.dcm',
    'ts/report_dfl.dcm', 'sequences-private/UN_sequence.dcm', 'encapsulated/JPEG2000.dcm',
  ];
  for (const name of names) {
    const original = readSample(name);
    t.equal(original.toString('latin1', 128, 132), 'DICM', `${name} is a part-10 file`);
    const bare = original.subarray(128);
    t.throws(() => parseWithOracle(bare), `${name}: dicom-parser does not read it without its preamble`);
    const want = await roundTrip(original, { tokenizer: small, writer: { clearPreamble: true } });
    const afterPreamble = (tokens: DicomToken[]): string[] => tokens.filter((x) => x.type !== 'preamble').map(tokenKey);
    const wantTokens = afterPreamble(await runChunked<DicomToken>(original, original.length, dicomTokenizer(small)));
    for (const { name: plan, plan: p } of STANDARD_PLANS) {
      const tokens = await runChunked<DicomToken>(bare, p, dicomTokenizer(small));
      t.match(tokens[0], { type: 'preamble' }, `${name} ${plan}: a preamble token first`);
      t.ok(tokens[0]!.type === 'preamble' && tokens[0]!.bytes.equals(Buffer.concat([Buffer.alloc(128), Buffer.from('DICM')])), 'of 128 zero bytes and DICM');
      t.same(afterPreamble(tokens), wantTokens, `${name} ${plan}: the tokens after it are the original's`);
      const out = Buffer.concat(await runChunked<Buffer>(bare, p, dicomTokenizer(small), dicomWriter()));
      t.ok(out.equals(want), `${name} ${plan}: the original's bytes with a zero preamble`);
    }
    // An independent reader takes the output as the original.
    const ours = parseWithOracle(want);
    const theirs = parseWithOracle(original);
    t.same(Object.keys(ours.elements), Object.keys(theirs.elements), `${name}: dicom-parser reads the same elements`);
    for (const k of Object.keys(theirs.elements)) {
      if (!theirs.elements[k]!.items && !theirs.elements[k]!.fragments && theirs.elements[k]!.length < 1024) {
        t.equal(ours.string(k), theirs.string(k), `${name} ${k}`);
      }
    }
  }
});

t.test('a dataset without DICM or preamble is still read as a raw dataset', async (t) => {
  for (const name of ['edge-cases/ExplVR_LitEndNoMeta.dcm', 'edge-cases/ExplVR_BigEndNoMeta.dcm', 'rt/rtstruct.dcm']) {
    const input = readSample(name);
    t.not(input.toString('latin1', 0, 4), 'DICM');
    const tokens = await tokenize(input);
    t.notOk(tokens.some((x) => x.type === 'preamble'), `${name}: no preamble token`);
    t.ok((await roundTrip(input)).equals(input), `${name}: written back as it came, with no preamble`);
  }
});
