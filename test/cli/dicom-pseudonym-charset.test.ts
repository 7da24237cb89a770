// The same MRN gets the same pseudonym in FHIR (Identifier.value) and DICOM
// (PatientID), also when it is not ASCII: PatientID is read as characters per
// Specific Character Set (0008,0005) before it is pseudonymised.
import t from 'tap';
import { parseNdjson, runCli } from '../helpers/run-cli.js';
import { parseAny } from '../dicom/profile/helpers.js';

function el(tag: number, vr: string, value: Buffer | string): Buffer {
  let v = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  if (v.length % 2) v = Buffer.concat([v, Buffer.from(vr === 'UI' || vr === 'OB' ? '\0' : ' ')]);
  const long = vr === 'OB';
  const h = Buffer.alloc(long ? 12 : 8);
  h.writeUInt16LE(tag >>> 16, 0);
  h.writeUInt16LE(tag & 0xffff, 2);
  h.write(vr, 4, 'latin1');
  if (long) h.writeUInt32LE(v.length, 8);
  else h.writeUInt16LE(v.length, 6);
  return Buffer.concat([h, v]);
}

function ctInstance(charset: string | undefined, patientId: Buffer): Buffer {
  const metaBody = Buffer.concat([
    el(0x00020001, 'OB', Buffer.from([0, 1])),
    el(0x00020002, 'UI', '1.2.840.10008.5.1.4.1.1.2'),
    el(0x00020003, 'UI', '1.2.3.4.5.6'),
    el(0x00020010, 'UI', '1.2.840.10008.1.2.1'),
  ]);
  const gl = Buffer.alloc(4);
  gl.writeUInt32LE(metaBody.length, 0);
  return Buffer.concat([
    Buffer.alloc(128), Buffer.from('DICM'), el(0x00020000, 'UL', gl), metaBody,
    ...(charset === undefined ? [] : [el(0x00080005, 'CS', charset)]),
    el(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.2'),
    el(0x00080018, 'UI', '1.2.3.4.5.6'),
    el(0x00080060, 'CS', 'CT'),
    el(0x00100020, 'LO', patientId),
    el(0x0020000d, 'UI', '1.2.3.4'),
    el(0x0020000e, 'UI', '1.2.3.4.5'),
  ]);
}

async function fhirPseudonym(mrn: string): Promise<string> {
  const patient = { resourceType: 'Patient', id: 'p1', identifier: [{ system: 'urn:mrn', value: mrn }] };
  const r = await runCli(['fhir'], { input: `${JSON.stringify(patient)}\n` });
  t.equal(r.code, 0, r.stderr);
  const out = parseNdjson(r.stdout)[0] as { identifier: { value: string }[] };
  return out.identifier[0]!.value;
}

async function dicomPseudonym(input: Buffer): Promise<string> {
  const r = await runCli(['dicom', '-', '-o', '-'], { input });
  t.equal(r.code, 0, r.stderr);
  return parseAny(r.stdout).string('x00100020') ?? '';
}

const MRN = 'MRN-Jürgen-ßé';

t.test('ISO_IR 192: a UTF-8 PatientID gets the pseudonym deid fhir gives the same identifier value', async (t) => {
  const fhir = await fhirPseudonym(MRN);
  t.match(fhir, /^[0-9a-f]{32}$/);
  t.equal(await dicomPseudonym(ctInstance('ISO_IR 192', Buffer.from(MRN, 'utf8'))), fhir);
});

t.test('ISO_IR 100: a Latin-1 PatientID gets the same pseudonym too', async (t) => {
  t.equal(await dicomPseudonym(ctInstance('ISO_IR 100', Buffer.from(MRN, 'latin1'))), await fhirPseudonym(MRN));
});

t.test('no Specific Character Set (default repertoire): an ASCII PatientID', async (t) => {
  t.equal(await dicomPseudonym(ctInstance(undefined, Buffer.from('MRN-0042', 'latin1'))), await fhirPseudonym('MRN-0042'));
});
