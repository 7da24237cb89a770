import t from 'tap';
import { deflateRawSync } from 'node:zlib';
import { dicomTokenizer, dicomWriter } from '../../src/dicom/index.js';
import { runChunked, seededRandom, STANDARD_PLANS } from '../helpers/rechunk.js';
import { readSample, roundTrip, tokenize } from './tokenize-helpers.js';

const ERR = /^DICOM_(TRUNCATED|MALFORMED)$/;

/** Explicit VR LE element bytes. */
function el(group: number, element: number, vr: string, value: Buffer, longLength?: number): Buffer {
  const long = ['OB', 'OW', 'SQ', 'UN', 'UT'].includes(vr);
  const h = Buffer.alloc(long ? 12 : 8);
  h.writeUInt16LE(group, 0);
  h.writeUInt16LE(element, 2);
  h.write(vr, 4, 'latin1');
  if (long) h.writeUInt32LE(longLength ?? value.length, 8);
  else h.writeUInt16LE(value.length, 6);
  return Buffer.concat([h, value]);
}
function item(tag: number, length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16LE(0xfffe, 0);
  b.writeUInt16LE(tag, 2);
  b.writeUInt32LE(length >>> 0, 4);
  return b;
}
function part10(ts: string, dataset: Buffer): Buffer {
  const uid = Buffer.from(ts.length % 2 ? ts + '\0' : ts, 'latin1');
  const meta = el(0x0002, 0x0010, 'UI', uid);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), meta, dataset]);
}
const name = el(0x0010, 0x0010, 'PN', Buffer.from('A^B '));

t.test('every truncation of a file either errors or ends at an element boundary', async (t) => {
  for (const sample of ['rt/rtplan.dcm', 'ts/report_dfl.dcm', 'encapsulated/JPEG2000-embedded-sequence-delimiter.dcm']) {
    const input = readSample(sample);
    let errors = 0;
    let boundaries = 0;
    for (let n = 0; n < input.length; n += sample.endsWith('rtplan.dcm') ? 1 : 3) {
      const cut = input.subarray(0, n);
      try {
        const out = await roundTrip(cut);
        boundaries++;
        if (!sample.includes('_dfl') && !out.equals(cut)) t.fail(`${sample} cut at ${n}: output differs from input`);
      } catch (e) {
        errors++;
        if (!ERR.test((e as { code?: string }).code ?? '')) t.fail(`${sample} cut at ${n}: ${String(e)}`);
      }
    }
    t.ok(errors > boundaries, `${sample}: ${errors} cuts rejected, ${boundaries} at element boundaries`);
  }
});

t.test('empty input and a bare preamble are rejected', async (t) => {
  await t.rejects(roundTrip(Buffer.alloc(0)), { code: 'DICOM_TRUNCATED' });
  await t.rejects(roundTrip(Buffer.concat([Buffer.alloc(128), Buffer.from('DICM')])), { code: 'DICOM_MALFORMED' });
  await t.rejects(roundTrip(Buffer.alloc(64)), { code: 'DICOM_MALFORMED' }, 'zeros are not a dataset');
});

t.test('DICM at byte 0 must be followed by an explicit VR file meta', async (t) => {
  const dicm = Buffer.from('DICM');
  const good = part10('1.2.840.10008.1.2.1', name).subarray(128);
  const rnd = seededRandom(7);
  const junk = Buffer.from(Array.from({ length: 300 }, () => Math.floor(rnd() * 256)));
  const implicitMeta = Buffer.from([0x02, 0x00, 0x10, 0x00, 0x14, 0x00, 0x00, 0x00, ...Buffer.from('1.2.840.10008.1.2.1\0')]);
  const cases: [string, Buffer, string][] = [
    ['DICM alone', dicm, 'DICOM_TRUNCATED'],
    ['DICM and the first bytes of a meta header', Buffer.concat([dicm, good.subarray(4, 8)]), 'DICOM_TRUNCATED'],
    ['DICM and a meta cut in its value', good.subarray(0, 20), 'DICOM_TRUNCATED'],
    ['DICM and random bytes', Buffer.concat([dicm, junk]), 'DICOM_MALFORMED'],
    ['DICM and a dataset with no meta', Buffer.concat([dicm, name]), 'DICOM_MALFORMED'],
    ['DICM and an implicit VR meta', Buffer.concat([dicm, implicitMeta, name]), 'DICOM_MALFORMED'],
    ['DICM twice', Buffer.concat([dicm, good]), 'DICOM_MALFORMED'],
    ['DICM, meta, no dataset', good.subarray(0, good.length - name.length), 'DICOM_MALFORMED'],
  ];
  for (const [what, input, code] of cases) {
    for (const { name: plan, plan: p } of STANDARD_PLANS) {
      await t.rejects(runChunked(input, p, dicomTokenizer(), dicomWriter()), { code }, `${what} (${plan})`);
    }
  }
  const out = await roundTrip(good);
  t.ok(out.equals(part10('1.2.840.10008.1.2.1', name)), 'the well-formed one is written with its zero preamble');
});

t.test('an unknown transfer syntax is unsupported', async (t) => {
  await t.rejects(roundTrip(part10('1.2.3.4', name)), { code: 'DICOM_UNSUPPORTED' });
});

t.test('random bytes are rejected', async (t) => {
  const rnd = seededRandom(99);
  const junk = Buffer.from(Array.from({ length: 10000 }, () => Math.floor(rnd() * 256)));
  await t.rejects(roundTrip(junk), { code: ERR });
  await t.rejects(roundTrip(part10('1.2.840.10008.1.2', junk)), { code: ERR });
});

/** The tag of each `unreadable` element token. */
async function unreadableTags(input: Buffer): Promise<number[]> {
  return (await tokenize(input)).flatMap((x) => (x.type === 'element' && x.unreadable ? [x.header.tag] : []));
}

// Read as a sequence, each of these is malformed; a sequence of defined length is checked first and
// comes as one unreadable element (its bytes as they are), the rest of the dataset read after it.
t.test('an item longer than its sequence is malformed', async (t) => {
  const body = Buffer.concat([item(0xe000, 100), name]);
  const seq = el(0x0008, 0x1140, 'SQ', body, body.length);
  const input = part10('1.2.840.10008.1.2.1', Buffer.concat([seq, name]));
  await t.rejects(roundTrip(input, { tokenizer: { maxCheckedSequenceBytes: 0 } }), { code: 'DICOM_MALFORMED' });
  t.same(await unreadableTags(input), [0x00081140]);
  t.ok((await roundTrip(input)).equals(input));
});

t.test('an element crossing the end of its item is malformed', async (t) => {
  const body = Buffer.concat([item(0xe000, 6), name]);
  const seq = el(0x0008, 0x1140, 'SQ', body, body.length);
  const input = part10('1.2.840.10008.1.2.1', Buffer.concat([seq, name]));
  await t.rejects(roundTrip(input, { tokenizer: { maxCheckedSequenceBytes: 0 } }), { code: 'DICOM_MALFORMED' });
  t.same(await unreadableTags(input), [0x00081140]);
  const undefinedLength = el(0x0008, 0x1140, 'SQ', Buffer.concat([body, item(0xe0dd, 0)]), 0xffffffff);
  await t.rejects(roundTrip(part10('1.2.840.10008.1.2.1', undefinedLength)), { code: 'DICOM_MALFORMED' }, 'undefined length: nothing tells where it ends');
});

t.test('a huge declared length is truncation, not an allocation', async (t) => {
  const big = el(0x7fe0, 0x0010, 'OB', Buffer.alloc(10), 0xfffffff0);
  await t.rejects(roundTrip(part10('1.2.840.10008.1.2.1', big)), { code: 'DICOM_TRUNCATED' });
});

t.test('hostile nesting depth is refused', async (t) => {
  let inner = name;
  for (let i = 0; i < 200; i++) {
    inner = Buffer.concat([el(0x0040, 0xa730, 'SQ', Buffer.alloc(0), 0xffffffff), item(0xe000, 0xffffffff), inner, item(0xe00d, 0), item(0xe0dd, 0)]);
  }
  await t.rejects(roundTrip(part10('1.2.840.10008.1.2.1', inner)), { code: 'DICOM_MALFORMED' });
});

t.test('a fragment of undefined length is malformed', async (t) => {
  const px = Buffer.concat([el(0x7fe0, 0x0010, 'OB', Buffer.alloc(0), 0xffffffff), item(0xe000, 0), item(0xe000, 0xffffffff)]);
  await t.rejects(roundTrip(part10('1.2.840.10008.1.2.4.50', px)), { code: 'DICOM_MALFORMED' });
});

t.test('stray delimiters and undefined lengths on plain values are malformed', async (t) => {
  await t.rejects(roundTrip(part10('1.2.840.10008.1.2.1', Buffer.concat([name, item(0xe00d, 0)]))), { code: 'DICOM_MALFORMED' });
  await t.rejects(roundTrip(part10('1.2.840.10008.1.2.1', el(0x0010, 0x0020, 'UT', Buffer.alloc(0), 0xffffffff))), { code: 'DICOM_MALFORMED' });
});

t.test('corrupt or cut deflated data errors', async (t) => {
  const good = part10('1.2.840.10008.1.2.1.99', deflateRawSync(name));
  t.equal((await tokenize(good)).filter((x) => x.type === 'element').length, 1, 'the well-formed control parses');
  const corrupt = part10('1.2.840.10008.1.2.1.99', Buffer.from('this is not deflate data at all'));
  await t.rejects(roundTrip(corrupt), { code: ERR });
  const d = deflateRawSync(Buffer.concat([name, name, name]));
  const cut = part10('1.2.840.10008.1.2.1.99', d.subarray(0, d.length - 4));
  await t.rejects(roundTrip(cut), { code: ERR });
});

t.test('a meta element of undefined length is malformed', async (t) => {
  const meta = el(0x0002, 0x0001, 'OB', Buffer.alloc(0), 0xffffffff);
  await t.rejects(roundTrip(Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), meta, name])), { code: 'DICOM_MALFORMED' });
});

t.test('an element inside an undefined-length item may not cross the defined end of an outer sequence', async (t) => {
  // Outer SQ of defined length 8 + 12 holds an undefined-length item whose element claims 1000 bytes.
  const longEl = el(0x0010, 0x4000, 'LT', Buffer.alloc(0));
  longEl.writeUInt16LE(1000, 6);
  const body = Buffer.concat([item(0xe000, 0xffffffff), longEl, Buffer.alloc(4)]);
  const seq = el(0x0008, 0x1140, 'SQ', body, body.length);
  await t.rejects(roundTrip(part10('1.2.840.10008.1.2.1', Buffer.concat([seq, Buffer.alloc(2000)]))), { code: 'DICOM_MALFORMED' });
});

t.test('an unknown VR in an explicit dataset is malformed, except where an implicit item starts', async (t) => {
  // (0018,0050) with VR "XX": read with a 4-byte length its value swallows the two elements a
  // reader taking a 2-byte length (pydicom) sees as ProtocolName and a private OB.
  const hidden = Buffer.concat([el(0x0018, 0x1030, 'LO', Buffer.from('Jane Doe')), el(0x0019, 0x1010, 'OB', Buffer.alloc(0x25858 - 2 - 16 - 12))]);
  const bogus = Buffer.concat([Buffer.from([0x18, 0x00, 0x50, 0x00]), Buffer.from('XX'), Buffer.from([2, 0]), Buffer.from('1 '), hidden]);
  t.equal(bogus.length, 8 + 0x25858, 'a 4-byte length reading ends exactly at the end of the input');
  await t.rejects(roundTrip(part10('1.2.840.10008.1.2.1', Buffer.concat([name, bogus]))), { code: 'DICOM_MALFORMED' });
  const inItem = Buffer.concat([item(0xe000, 0xffffffff), name, bogus, item(0xe00d, 0), item(0xe0dd, 0)]);
  await t.rejects(roundTrip(part10('1.2.840.10008.1.2.1', el(0x0040, 0xa730, 'SQ', inItem, 0xffffffff))), { code: 'DICOM_MALFORMED' }, 'after an explicit element of the item');
  // An item whose elements are all implicit (edge-cases/bad_sequence.dcm) is still read.
  const implicitName = Buffer.from([0x10, 0x00, 0x10, 0x00, 4, 0, 0, 0, 0x41, 0x5e, 0x42, 0x20]);
  const implicitItem = Buffer.concat([item(0xe000, 0xffffffff), implicitName, implicitName, item(0xe00d, 0), item(0xe0dd, 0)]);
  const input = part10('1.2.840.10008.1.2.1', el(0x0040, 0xa730, 'SQ', implicitItem, 0xffffffff));
  const tokens = await tokenize(input);
  t.same(tokens.filter((x) => x.type === 'element').map((x) => x.type === 'element' && [x.header.vr, x.header.explicit]), [['PN', false], ['PN', false]]);
  t.same(await roundTrip(input), input);
});
