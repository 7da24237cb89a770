// Hand-built instances that hide a marker where a careless reader would not
// look: the marker must be gone from the output, which must still parse.
import t from 'tap';
import { roundTrip } from '../tokenize-helpers.js';
import { NO_OPTIONS } from '../../../src/dicom/profile/options.js';
import { defaultDicomPlan } from '../../../src/dicom/profile/plan.js';
import { parseMetaWithOracle } from '../oracle.js';
import { deid, parseAny } from './helpers.js';
import { CT_IMAGE_STORAGE, ctInstance, el, iel, item } from '../raw-elements.js';

const MARKER = 'ZZLEAKZZ';

/** A CT instance with a patient, `extra` elements and `extraMeta` (tag order is the caller's). */
function instance(extra: Buffer[], extraMeta: Buffer[] = [], sopClass = CT_IMAGE_STORAGE): Buffer {
  return ctInstance(extra, { extraMeta, sopClass });
}

function leaks(out: Buffer): number {
  let n = 0;
  for (let i = out.indexOf(MARKER); i >= 0; i = out.indexOf(MARKER, i + 1)) n++;
  return n;
}

t.test('a standard sequence written as UN with a defined length is de-identified inside', async (t) => {
  // PerformedProtocolCodeSequence (not in Table E.1-1: kept and descended) as a
  // converter without it in its dictionary writes it: UN, implicit VR LE items.
  const items = item(Buffer.concat([iel(0x00100010, MARKER), iel(0x00101000, MARKER), iel(0x00080100, 'T-1')]));
  const input = instance([el(0x00400260, 'UN', items)]);
  t.equal(leaks(input), 2);
  t.same(await roundTrip(input), input, 'read as a sequence, written back byte for byte when nothing changes');
  const { bytes } = await deid(input);
  t.equal(leaks(bytes), 0, 'PatientName and OtherPatientIDs inside the sequence are gone');
  const seq = parseAny(bytes).elements.x00400260;
  t.equal(seq?.items?.length, 1, 'the sequence and its item are still there');
  const inner = seq!.items![0]!.dataSet!;
  t.equal(inner.string('x00080100'), 'T-1', 'what the profile keeps inside is kept');
  t.equal(inner.elements.x00101000, undefined, 'OtherPatientIDs removed');
});

t.test('command and file meta elements inside the dataset are removed', async (t) => {
  const top = [el(0x00000902, 'LO', MARKER), el(0x00020016, 'AE', MARKER)];
  const nested = el(0x00400260, 'SQ', item(Buffer.concat([el(0x00000902, 'LO', MARKER), el(0x00020013, 'SH', MARKER), el(0x00080100, 'SH', 'T-1')])));
  // Tag order as a hostile writer may give it: the dataset's own elements first.
  const input = instance([...top, nested]);
  t.equal(leaks(input), 4);
  const { bytes, counts } = await deid(input);
  t.equal(leaks(bytes), 0);
  const ds = parseAny(bytes);
  t.equal(ds.elements.x00400260?.items?.[0]?.dataSet?.string('x00080100'), 'T-1', 'the rest of the item is kept');
  t.equal(counts.get('(0000,0902): removed'), 2);
  t.equal(counts.get('SourceApplicationEntityTitle: removed'), 1);
});

t.test('a dataset without file meta: its implicit VR group 0002 is not copied', async (t) => {
  const input = Buffer.concat([
    iel(0x00020013, MARKER), iel(0x00020016, MARKER),
    iel(0x00080018, '1.2.3.4.5.6'), iel(0x00080060, 'CT'), iel(0x00100010, MARKER), iel(0x00100020, 'MRN-1'),
  ]);
  const { bytes } = await deid(input);
  t.equal(leaks(bytes), 0);
  t.equal(parseAny(bytes).string('x00080060'), 'CT');
});

t.test('file meta elements PS3.10 does not define, and the RTV instance UID, are removed', async (t) => {
  const input = instance([], [el(0x00020033, 'UI', '1.2.3.4.5.6.7'), el(0x00020099, 'LO', MARKER), el(0x0002ff00, 'UN', MARKER)]);
  t.equal(leaks(input), 2);
  const { bytes } = await deid(input);
  t.equal(leaks(bytes), 0);
  const meta = parseMetaWithOracle(bytes);
  t.equal(meta.elements.x00020033, undefined, 'RTVCommunicationSOPInstanceUID removed');
  t.equal(meta.string('x00020002'), '1.2.840.10008.5.1.4.1.1.2', 'the defined elements stay');
  t.equal(meta.string('x00020010'), '1.2.840.10008.1.2.1');
  const datasetAt = bytes.indexOf(Buffer.from([0x08, 0x00, 0x16, 0x00, 0x55, 0x49]));
  t.equal(meta.uint32('x00020000'), datasetAt - 144, 'the group length is the group\'s');
  t.equal(parseAny(bytes).string('x00080060'), 'CT');
  const all = await deid(input, { plan: { ...defaultDicomPlan(), base: 'KEEP_ALL', allowBurnedIn: true } });
  t.equal(leaks(all.bytes), 2, 'keep-all keeps them');
});

t.test('text in place of the SOP class UID: the meta and the dataset get the same keyed UID', async (t) => {
  const input = instance([], [], MARKER);
  t.equal(leaks(input), 2);
  const { bytes } = await deid(input);
  t.equal(leaks(bytes), 0);
  const cls = parseMetaWithOracle(bytes).string('x00020002');
  t.match(cls, /^2\.25\.\d+$/);
  t.equal(parseAny(bytes).string('x00080016'), cls);
});

t.test('the preamble is written as zeros, whatever it held', async (t) => {
  const input = instance([]);
  input.write(`II*\0${MARKER}`, 0, 'latin1');
  const { bytes } = await deid(input);
  t.equal(leaks(bytes), 0);
  t.same(bytes.subarray(0, 132), Buffer.concat([Buffer.alloc(128), Buffer.from('DICM')]));
});

t.test('Clean Descriptors on UTF-8 text: a name taken out of PatientName is found in a description in another case', async (t) => {
  const utf8 = (tag: number, vr: string, v: string): Buffer => el(tag, vr, Buffer.from(v, 'utf8'));
  const input = instance([
    el(0x00080005, 'CS', 'ISO_IR 192'),
    utf8(0x00081030, 'LO', 'CT for Jürgen Müllerzz'),
    utf8(0x0008103e, 'LO', 'MÜLLERZZ series'),
    // A second PatientName, after the descriptions: the context is collected in the first pass.
    utf8(0x00100010, 'PN', 'Müllerzz^Jürgen'),
  ]);
  const plan = { ...defaultDicomPlan(), allowBurnedIn: true, options: { ...NO_OPTIONS, retainLongModifiedDates: true, cleanDescriptors: true } };
  const { bytes } = await deid(input, { plan });
  const ds = parseAny(bytes);
  t.equal(ds.string('x0008103e'), '[CTX] series');
  t.notMatch(ds.string('x00081030') ?? '', /llerzz/i);
  t.equal(bytes.indexOf(Buffer.from('LLERZZ', 'utf8')), -1);
});

t.test('Retain Safe Private: a listed private sequence that came as UN bytes is not kept unseen', async (t) => {
  // (7E01,xx10) HOLOGIC, Inc. is a sequence in Table E.3.10-1.
  const items = item(Buffer.concat([iel(0x00100010, MARKER)]));
  const creator = el(0x7e010010, 'LO', 'HOLOGIC, Inc.');
  const plan = { ...defaultDicomPlan(), allowBurnedIn: true, options: { ...NO_OPTIONS, retainLongModifiedDates: true, retainSafePrivate: true } };
  const asUN = await deid(instance([creator, el(0x7e011010, 'UN', items)]), { plan });
  t.equal(leaks(asUN.bytes), 0);
  t.equal(parseAny(asUN.bytes).elements.x7e011010, undefined);
  const asSQ = await deid(instance([creator, el(0x7e011010, 'SQ', items)]), { plan });
  t.equal(parseAny(asSQ.bytes).elements.x7e011010?.items?.length, 1, 'written as SQ, it is kept and de-identified inside');
  t.equal(leaks(asSQ.bytes), 0);
});

t.test('an even-group tag PS3.6 does not define is removed; an unlisted standard one is kept', async (t) => {
  const nested = el(0x00400260, 'SQ', item(Buffer.concat([el(0x00080100, 'SH', 'T-1'), el(0x00089998, 'LO', MARKER)])));
  const input = instance([el(0x00180050, 'DS', '1.25'), nested, el(0x00981000, 'LO', MARKER), el(0x00981002, 'UN', MARKER)]);
  t.equal(leaks(input), 3);
  const { bytes } = await deid(input);
  t.equal(leaks(bytes), 0);
  const ds = parseAny(bytes);
  t.equal(ds.string('x00180050'), '1.25', 'SliceThickness (not in Table E.1-1) kept');
  t.equal(ds.elements.x00400260?.items?.[0]?.dataSet?.string('x00080100'), 'T-1');
});

t.test('an unlisted date or date-time (DICOS, DICONDE, inventory) is shifted like the table\'s DateTime, never kept as written', async (t) => {
  const input = instance([el(0x40101025, 'DT', '20200115103000'), el(0x40101026, 'DT', 'ZZLEAKZZ')]);
  const { bytes } = await deid(input);
  t.equal(leaks(bytes), 0, 'a value that is no date-time is not passed through');
  t.notOk(bytes.includes('20200115'), 'the date is not kept as written');
  const shifted = parseAny(bytes).string('x40101025');
  t.match(shifted, /^\d{8}103000$/, 'shifted by whole days, time of day kept');
  t.not(shifted, '20200115103000');
});

t.test('a retired attribute the table does not list that holds text is removed (order numbers, Trial SR comments)', async (t) => {
  const input = instance([
    el(0x00181011, 'LO', MARKER), // HardcopyCreationDeviceID
    el(0x00201020, 'LO', MARKER), // Reference
    el(0x00280050, 'LO', MARKER), // ManipulatedImage
    el(0x00401006, 'SH', MARKER), // PlacerOrderNumberProcedure
    el(0x00401007, 'SH', MARKER), // FillerOrderNumberProcedure
    el(0x00402006, 'SH', MARKER), // PlacerOrderNumberImagingServiceRequestRetired
    el(0x0040a33a, 'ST', MARKER), // ReportStatusCommentTrial
    el(0x0040a992, 'UN', `http://${MARKER}/`), // UniformResourceLocatorTrial, as UN
    el(0x40080103, 'LO', MARKER), // ReferenceToRecordedSound
  ]);
  t.equal(leaks(input), 9);
  const { bytes } = await deid(input);
  t.equal(leaks(bytes), 0);
  const ds = parseAny(bytes);
  for (const k of ['x00181011', 'x00401006', 'x0040a33a', 'x0040a992', 'x40080103']) t.notOk(ds.elements[k], `${k} removed`);
  t.equal(ds.string('x00080060'), 'CT', 'current unlisted attributes still kept');
});

t.test('Clean Descriptors: what the table does not list inside a sequence it cleans is cleaned, not kept unread', async (t) => {
  const plan = { ...defaultDicomPlan(), allowBurnedIn: true, options: { ...NO_OPTIONS, retainLongModifiedDates: true, cleanDescriptors: true } };
  const code = (meaning: string) => item(Buffer.concat([el(0x00080100, 'SH', 'P-123'), el(0x00080102, 'SH', '99LOCAL'), el(0x00080104, 'LO', meaning)]));
  const request = el(0x00400275, 'SQ', item(Buffer.concat([
    el(0x00400007, 'LO', 'CT chest'),
    el(0x00400008, 'SQ', code('Protocol for John Doe')),
  ])));
  const reason = el(0x00321067, 'SQ', code('Follow-up Doe John'));
  const input = instance([reason, request]);
  t.ok(input.includes('Protocol for John Doe'));
  const { bytes } = await deid(input, { plan });
  t.notOk(bytes.includes('John'), 'the patient\'s name is taken out of code meanings in a cleaned sequence');
  t.notOk(bytes.includes('Doe '), 'family name too');
  const ds = parseAny(bytes);
  const req = ds.elements.x00400275?.items?.[0]?.dataSet;
  t.ok(req, 'RequestAttributesSequence kept (C)');
  const protocol = req!.elements.x00400008?.items?.[0]?.dataSet;
  t.equal(protocol?.string('x00080100'), 'P-123', 'CodeValue kept');
  t.equal(protocol?.string('x00080102'), '99LOCAL', 'CodingSchemeDesignator kept');
  t.match(protocol?.string('x00080104'), /^Protocol for /, 'CodeMeaning kept, cleaned');
  const visit = ds.elements.x00321067?.items?.[0]?.dataSet;
  t.match(visit?.string('x00080104'), /^Follow-up /, 'ReasonForVisitCodeSequence (C): its CodeMeaning cleaned');
});

t.test('an age over 89 a retaining option keeps is written 090Y (HIPAA Safe Harbor), one under 90 as it is', async (t) => {
  const plan = { ...defaultDicomPlan(), allowBurnedIn: true, options: { ...NO_OPTIONS, retainLongModifiedDates: true, retainPatientCharacteristics: true } };
  const old = await deid(instance([el(0x00101010, 'AS', '095Y')]), { plan });
  t.equal(parseAny(old.bytes).string('x00101010'), '090Y');
  t.notOk(old.bytes.includes('095Y'));
  const young = await deid(instance([el(0x00101010, 'AS', '089Y')]), { plan });
  t.equal(parseAny(young.bytes).string('x00101010'), '089Y');
  const months = await deid(instance([el(0x00101010, 'AS', '999M')]), { plan });
  t.equal(parseAny(months.bytes).string('x00101010'), '999M', '999 months is 83 years');
  const basic = await deid(instance([el(0x00101010, 'AS', '095Y')]));
  t.notOk(parseAny(basic.bytes).elements.x00101010, 'without the option PatientAge is removed (X)');
});
