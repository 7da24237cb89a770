// A standard sequence written as UN with a defined length (PS3.5 6.2.2: its
// items are implicit VR LE). When its bytes are not items, its length still
// tells where it ends: that element alone is removed unread and counted, and
// the rest of the instance is de-identified. Only a length that cannot be
// (past the end of its item or of the file) still fails the instance.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import dicomParser from 'dicom-parser';
import t from 'tap';
import { Keyed } from '../../../src/core/keyed.js';
import { prepareBytes, prepareInstance, writeInstance } from '../../../src/dicom/profile/deidentify-instance.js';
import { defaultDicomPlan } from '../../../src/dicom/profile/plan.js';
import { TokenizerCore } from '../../../src/dicom/tokenizer-core.js';
import { roundTrip } from '../tokenize-helpers.js';
import { count, el, iel, item, withElements } from '../raw-elements.js';
import { samplePath } from '../samples.js';
import { KEY } from './helpers.js';
import { writePaths } from './write-paths.js';

const MARKER = 'ZZLEAKZZ';
const REFERENCED_STUDY_SEQUENCE = 0x00081110;
const PERFORMED_PROTOCOL_CODE_SEQUENCE = 0x00400260;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-un-sequence-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
const plan = { ...defaultDicomPlan(), allowBurnedIn: true };
const { streamed, viaFile, viaTokens } = writePaths(plan, tmp);
const hasDcmdump = spawnSync('dcmdump', ['--version']).status === 0;

const mr = fs.readFileSync(samplePath('ts/MR_small.dcm')); // explicit VR little endian


const SEQUENCE_END = Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
/** Bytes that are not items: no item tag where one must be, the marker inside. */
const garbage = Buffer.from(`${MARKER}\x01\x02${MARKER}\xff\xfe`, 'latin1');
/** An item header whose length runs past the sequence: not items either. */
const crossing = Buffer.concat([Buffer.from([0xfe, 0xff, 0x00, 0xe0, 0x40, 0x00, 0x00, 0x00]), iel(0x00100010, MARKER)]);
/** Valid items (implicit VR LE) with PatientName and OtherPatientIDs inside. */
const items = item(Buffer.concat([iel(0x00100010, MARKER), iel(0x00101000, MARKER), iel(0x00080100, 'T-1')]));

const input = withElements(mr, [
  [REFERENCED_STUDY_SEQUENCE, el(REFERENCED_STUDY_SEQUENCE, 'UN', garbage)],
  [0x00081111, el(0x00081111, 'UN', crossing)], // ReferencedPerformedProcedureStepSequence
  [PERFORMED_PROTOCOL_CODE_SEQUENCE, el(PERFORMED_PROTOCOL_CODE_SEQUENCE, 'UN', items)],
]);

t.test('the input: the markers are there, and the tokenizer and writer alone give it back byte for byte', async (t) => {
  t.equal(count(input, MARKER), 5);
  t.same(await roundTrip(input), input);
  const tok = new TokenizerCore();
  tok.feed(input);
  tok.end();
  const unreadable = tok.out.filter((x) => x.type === 'element' && x.unreadable).map((x) => (x as { header: { tag: number } }).header.tag);
  t.same(unreadable, [REFERENCED_STUDY_SEQUENCE, 0x00081111], 'the two UN values that are not items, and only they');
  t.ok(tok.out.some((x) => x.type === 'sequenceStart' && x.header.tag === PERFORMED_PROTOCOL_CODE_SEQUENCE), 'the one of valid items is read as a sequence');
});

t.test('a UN sequence whose bytes are not items is removed unread; the instance and a valid UN sequence are de-identified', async (t) => {
  const { bytes, counts } = await streamed(input, 64 * 1024);
  t.equal(count(bytes, MARKER), 0, 'no marker left');
  t.equal(count(bytes, garbage), 0, 'the unreadable bytes are not in the output');
  t.equal(counts.get('ReferencedStudySequence: removed (unreadable)'), 1);
  t.equal(counts.get('ReferencedPerformedProcedureStepSequence: removed (unreadable)'), 1);
  const ds = dicomParser.parseDicom(new Uint8Array(bytes));
  t.equal(ds.elements.x00081110, undefined);
  t.equal(ds.elements.x00081111, undefined);
  const seq = ds.elements.x00400260;
  t.equal(seq?.items?.length, 1, 'the valid UN sequence is kept as a sequence');
  const inner = seq!.items![0]!.dataSet!;
  t.equal(inner.string('x00080100'), 'T-1', 'what the profile keeps inside is kept');
  t.equal(inner.elements.x00100010?.length ?? 0, 0, 'PatientName inside emptied or removed');
  t.equal(inner.elements.x00101000, undefined, 'OtherPatientIDs inside removed');
  t.equal(ds.elements.x7fe00010?.length, 8192, 'the rest of the instance is there (pixel data)');
  t.not(ds.string('x00080018'), '1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457', 'and de-identified (new SOPInstanceUID)');

  const file = path.join(tmp, 'out.dcm');
  fs.writeFileSync(file, bytes);
  if (hasDcmdump) {
    const r = spawnSync('dcmdump', ['-q', '+uc', file], { encoding: 'latin1' });
    t.equal(r.status, 0, 'dcmdump reads the output');
    t.equal(r.stderr, '', 'without a warning');
    t.notMatch(r.stdout, /0008,1110|0008,1111/);
    t.match(r.stdout, /\(0040,0260\)/);
  }

  // Without the check, the instance was lost as DICOM_MALFORMED.
  for (const size of [1, 7, 4096]) t.same(await streamed(input, size), { bytes, counts }, `stream in ${size}-byte chunks: same bytes and counts`);
  t.same(await viaFile(input), { bytes, counts }, 'synchronous edit from bytes');
  fs.writeFileSync(path.join(tmp, 'in.dcm'), input);
  t.same(await viaFile(path.join(tmp, 'in.dcm')), { bytes, counts }, 'synchronous edit from the file');
  t.same(await viaTokens(input), { bytes, counts }, 'tokenized once');
});

t.test('a plan that keeps the tag cannot keep an unreadable value', async (t) => {
  const keepPlan = { ...plan, actions: [{ kind: 'keep' as const, tags: new Set([REFERENCED_STUDY_SEQUENCE, 0x00081111]), vrs: new Set<string>() }, ...plan.actions] };
  const setup = { plan: keepPlan, keyed: new Keyed(KEY) };
  const prepared = await prepareInstance(Readable.from([input]), 'buffer', setup);
  const out: Buffer[] = [];
  const sink = new Writable({ write(c: Buffer, _e, cb) { out.push(c); cb(); } });
  const counts = new Map<string, number>();
  await writeInstance(Readable.from([input]), sink, 'buffer', prepared, setup, counts);
  const bytes = Buffer.concat(out);
  t.equal(count(bytes, garbage), 0);
  t.equal(dicomParser.parseDicom(new Uint8Array(bytes)).elements.x00081110, undefined);
  t.equal(counts.get('ReferencedStudySequence: removed (unreadable)'), 1);
});

t.test('inside an item, an unreadable UN sequence goes and its item stays', async (t) => {
  const nested = el(0x00081115, 'SQ', item(Buffer.concat([el(REFERENCED_STUDY_SEQUENCE, 'UN', garbage), el(0x00081150, 'UI', '1.2.840.10008.5.1.4.1.1.4')])));
  const src = withElements(mr, [[0x00081115, nested]]); // ReferencedSeriesSequence
  const { bytes, counts } = await streamed(src, 7);
  t.equal(count(bytes, garbage), 0);
  t.equal(counts.get('ReferencedStudySequence: removed (unreadable)'), 1);
  t.same(await viaFile(src), { bytes, counts }, 'synchronous edit: same bytes');
});

t.test('a length that cannot be still fails the instance', async (t) => {
  // Past the end of its item: the item says where it ends, the element says otherwise. In a
  // sequence of undefined length, nothing else tells where the sequence ends (one of defined
  // length is itself removed unread: test/dicom/profile/unreadable-sequence.test.ts).
  const bad = el(REFERENCED_STUDY_SEQUENCE, 'UN', garbage, garbage.length + 100);
  const inItem = withElements(mr, [[0x00081115, el(0x00081115, 'SQ', Buffer.concat([item(bad), SEQUENCE_END]), 0xffffffff)]]);
  for (const size of [1, 7, 65536]) await t.rejects(streamed(inItem, size), { code: 'DICOM_MALFORMED' }, `in an item, ${size}-byte chunks`);
  t.throws(() => prepareBytes(inItem, 'buffer', { plan, keyed: new Keyed(KEY) }), { code: 'DICOM_MALFORMED' });
  // Past the end of the file.
  const cut = withElements(mr, [[REFERENCED_STUDY_SEQUENCE, el(REFERENCED_STUDY_SEQUENCE, 'UN', garbage, mr.length)]]);
  for (const size of [1, 65536]) await t.rejects(streamed(cut, size), { code: 'DICOM_TRUNCATED' }, `past the end of the file, ${size}-byte chunks`);
});
