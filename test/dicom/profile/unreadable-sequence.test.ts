// A sequence whose bytes cannot be read as items failed the whole instance (DICOM_MALFORMED), unless
// it was a standard sequence written as UN. Any sequence with a defined length (SQ in explicit or
// implicit VR) now says where it ends whatever its bytes: when they are not items, the element alone
// is removed unread and counted `removed (unreadable)`, and the rest of the instance is
// de-identified. One of undefined length can only be ended by its items: it still fails the instance.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import dicomParser from 'dicom-parser';
import t from 'tap';
import { Keyed } from '../../../src/core/keyed.js';
import { prepareBytes, prepareInstance } from '../../../src/dicom/profile/deidentify-instance.js';
import { defaultDicomPlan } from '../../../src/dicom/profile/plan.js';
import { TokenizerCore } from '../../../src/dicom/tokenizer-core.js';
import type { DicomToken } from '../../../src/dicom/tokens.js';
import { count, el, item, withElements } from '../raw-elements.js';
import { samplePath } from '../samples.js';
import { roundTrip } from '../tokenize-helpers.js';
import { KEY } from './helpers.js';
import { writePaths, type Run } from './write-paths.js';

const MARKER = 'ZZLEAKZZ';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-unreadable-sq-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
const plan = { ...defaultDicomPlan(), allowBurnedIn: true };
const { streamed, viaFile, viaTokens, inputFile } = writePaths(plan, tmp);

const PROCEDURE_CODE_SEQUENCE = 0x00081032;
const ANATOMIC_REGION_SEQUENCE = 0x00082218;
const ANATOMIC_REGION_MODIFIER_SEQUENCE = 0x00082220;
const PRIVATE_CREATOR = 0x00290010;
const PRIVATE_SEQUENCE = 0x00291001;
const SEQUENCE_END = Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);

/** Implicit VR LE element of any bytes; `length` overrides the length written (0xffffffff: undefined). */
function ielRaw(tag: number, value: Buffer, length?: number): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16LE(tag >>> 16, 0);
  h.writeUInt16LE(tag & 0xffff, 2);
  h.writeUInt32LE((length ?? value.length) >>> 0, 4);
  return Buffer.concat([h, value]);
}


/** Bytes that are not items (an item tag nowhere where one must be), the marker inside. */
const garbage = Buffer.from(`${MARKER}\x01\x02${MARKER}\xff\xfe`, 'latin1');
/** Almost items: an item whose element runs past the item's end, the marker in its value. */
const crossing = Buffer.concat([item(el(0x00080100, 'SH', MARKER)).subarray(0, 8), el(0x00080104, 'LO', `${MARKER} runs over`, 200)]);
crossing.writeUInt32LE(12, 4);
const code = (value: string): Buffer => item(Buffer.concat([el(0x00080100, 'SH', value), el(0x00080102, 'SH', 'SRT')]));

/** The same bytes and counts on every path and chunking. */
async function everyPath(t: Tap.Test, input: Buffer): Promise<Run> {
  const want = await streamed(input, 64 * 1024);
  for (const size of [1, 7, 4096]) t.same(await streamed(input, size), want, `streamed in ${size}-byte chunks`);
  t.same(await viaFile(input), want, 'synchronous edit from bytes');
  t.same(await viaFile(inputFile(input)), want, 'synchronous edit from the file');
  t.same(await viaTokens(input), want, 'tokenized once');
  return want;
}

const unreadableCounts = (counts: Map<string, number>): Record<string, number> =>
  Object.fromEntries([...counts].filter(([k]) => k.endsWith('removed (unreadable)')));

t.test('explicit VR: private and descriptive SQs of defined length that are not items are removed; the instance goes on', async (t) => {
  const mr = fs.readFileSync(samplePath('ts/MR_small.dcm'));
  const input = withElements(mr, [
    [PROCEDURE_CODE_SEQUENCE, el(PROCEDURE_CODE_SEQUENCE, 'SQ', garbage)],
    [ANATOMIC_REGION_SEQUENCE, el(ANATOMIC_REGION_SEQUENCE, 'SQ', Buffer.concat([
      // a readable item holding an unreadable sequence: only the inner one goes
      item(Buffer.concat([el(0x00080100, 'SH', 'T-D1100'), el(0x00080102, 'SH', 'SRT'), el(ANATOMIC_REGION_MODIFIER_SEQUENCE, 'SQ', crossing)])),
    ]))],
    [PRIVATE_CREATOR, el(PRIVATE_CREATOR, 'LO', 'ACME 1.0')],
    [PRIVATE_SEQUENCE, el(PRIVATE_SEQUENCE, 'SQ', garbage)],
  ]);
  t.equal(count(input, MARKER), 5);
  t.ok((await roundTrip(input)).equals(input), 'tokenizer and writer alone give it back byte for byte');
  await t.rejects(roundTrip(input, { tokenizer: { maxCheckedSequenceBytes: 0 } }), { code: 'DICOM_MALFORMED' }, 'read as sequences, the instance was lost');

  const { bytes, counts } = await everyPath(t, input);
  t.equal(count(bytes, MARKER), 0, 'nothing of the unread bytes in the output');
  t.same(unreadableCounts(counts), {
    'ProcedureCodeSequence: removed (unreadable)': 1,
    'AnatomicRegionModifierSequence: removed (unreadable)': 1,
    '(private): removed (unreadable)': 1,
  });
  for (const k of counts.keys()) t.notMatch(k, MARKER, 'no value in a count key');
  const ds = dicomParser.parseDicom(new Uint8Array(bytes));
  t.equal(ds.elements.x00081032, undefined, 'ProcedureCodeSequence gone');
  t.equal(ds.elements.x00291001, undefined, 'the private sequence gone');
  const region = ds.elements.x00082218?.items;
  t.equal(region?.length, 1, 'AnatomicRegionSequence kept, its item too');
  t.equal(region![0]!.dataSet!.string('x00080100'), 'T-D1100');
  t.equal(region![0]!.dataSet!.elements.x00082220, undefined, 'without the unreadable sequence inside it');
  t.equal(ds.elements.x7fe00010?.length, 8192, 'the rest of the instance is there (pixel data)');
  t.not(ds.string('x00080018'), '1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457', 'and de-identified (new SOPInstanceUID)');
  t.equal(count(bytes, 'CompressedSamples'), 0, 'PatientName not kept');
});

t.test('implicit VR: an SQ of defined length that is not items is removed; one of undefined length fails the instance', async (t) => {
  const mr = fs.readFileSync(samplePath('ts/MR_small_implicit.dcm'));
  const defined = withElements(mr, [
    [PROCEDURE_CODE_SEQUENCE, ielRaw(PROCEDURE_CODE_SEQUENCE, garbage)],
    [ANATOMIC_REGION_SEQUENCE, ielRaw(ANATOMIC_REGION_SEQUENCE, Buffer.concat([item(ielRaw(0x00080100, Buffer.from('T-D1100 ')))]))],
  ]);
  const { bytes, counts } = await everyPath(t, defined);
  t.equal(count(bytes, MARKER), 0);
  t.same(unreadableCounts(counts), { 'ProcedureCodeSequence: removed (unreadable)': 1 });
  const ds = dicomParser.parseDicom(new Uint8Array(bytes));
  t.equal(ds.elements.x00081032, undefined);
  t.equal(ds.elements.x00082218?.items?.[0]?.dataSet?.string('x00080100'), 'T-D1100', 'the readable sequence is read and kept');

  const undefinedLength = withElements(mr, [[PROCEDURE_CODE_SEQUENCE, ielRaw(PROCEDURE_CODE_SEQUENCE, Buffer.concat([garbage, SEQUENCE_END]), 0xffffffff)]]);
  for (const size of [1, 4096]) await t.rejects(streamed(undefinedLength, size), { code: 'DICOM_MALFORMED' }, `${size}-byte chunks`);
  t.throws(() => prepareBytes(undefinedLength, 'buffer', { plan, keyed: new Keyed(KEY) }), { code: 'DICOM_MALFORMED' });
});

t.test('explicit VR: an SQ of undefined length whose items cannot be read still fails the instance, without its bytes in the message', async (t) => {
  const mr = fs.readFileSync(samplePath('ts/MR_small.dcm'));
  const cases = [
    withElements(mr, [[PROCEDURE_CODE_SEQUENCE, el(PROCEDURE_CODE_SEQUENCE, 'SQ', Buffer.concat([garbage, SEQUENCE_END]), 0xffffffff)]]),
    // a readable item, then one whose element crosses its end
    withElements(mr, [[PROCEDURE_CODE_SEQUENCE, el(PROCEDURE_CODE_SEQUENCE, 'SQ', Buffer.concat([code('T-1'), crossing, SEQUENCE_END]), 0xffffffff)]]),
  ];
  for (const input of cases) {
    for (const size of [1, 7, 65536]) {
      const e = await streamed(input, size).then(() => undefined, (x: Error & { code: string }) => x);
      t.match(e, { code: 'DICOM_MALFORMED' }, `${size}-byte chunks`);
      t.notMatch(e!.message, MARKER);
    }
    await t.rejects(viaFile(input), { code: 'DICOM_MALFORMED' });
  }
});

t.test('a PatientID written as an unreadable SQ names no patient and leaves nothing', async (t) => {
  const mr = fs.readFileSync(samplePath('ts/MR_small.dcm'));
  // MR_small's own PatientID (0010,0020) comes before; this one replaces it
  const tok = new TokenizerCore();
  tok.feed(mr);
  tok.end();
  const id = tok.out.find((x) => x.type === 'element' && x.header.tag === 0x00100020) as Extract<DicomToken, { type: 'element' }>;
  const meta = tok.out.find((x) => x.type === 'meta') as Extract<DicomToken, { type: 'meta' }>;
  const at = 132 + meta.raw.length + id.header.offset!;
  const input = Buffer.concat([mr.subarray(0, at), el(0x00100020, 'SQ', garbage), mr.subarray(at + id.header.raw!.length + id.value.length)]);
  const prepared = await prepareInstance(Readable.from([input]), 'buffer', { plan, keyed: new Keyed(KEY) });
  t.notMatch(JSON.stringify(prepared, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)), MARKER, 'the unread bytes are no fact');
  const { bytes, counts } = await everyPath(t, input);
  t.equal(count(bytes, MARKER), 0);
  t.equal(counts.get('PatientID: removed (unreadable)'), 1);
});

t.test('a sequence length past the end of its container or of the file still fails the instance', async (t) => {
  const mr = fs.readFileSync(samplePath('ts/MR_small.dcm'));
  const past = withElements(mr, [[PROCEDURE_CODE_SEQUENCE, el(PROCEDURE_CODE_SEQUENCE, 'SQ', garbage, mr.length)]]);
  for (const size of [1, 65536]) await t.rejects(streamed(past, size), { code: 'DICOM_TRUNCATED' }, `past the end of the file, ${size}-byte chunks`);
  const inItem = withElements(mr, [[ANATOMIC_REGION_SEQUENCE, el(ANATOMIC_REGION_SEQUENCE, 'SQ', Buffer.concat([item(el(ANATOMIC_REGION_MODIFIER_SEQUENCE, 'SQ', garbage, garbage.length + 100)), SEQUENCE_END]), 0xffffffff)]]);
  for (const size of [1, 65536]) await t.rejects(streamed(inItem, size), { code: 'DICOM_MALFORMED' }, `past the end of its item, ${size}-byte chunks`);
});
