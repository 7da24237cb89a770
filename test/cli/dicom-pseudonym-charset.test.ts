// The same MRN gets the same pseudonym in FHIR (Identifier.value) and DICOM
// (PatientID), also when it is not ASCII: PatientID is read as characters per
// Specific Character Set (0008,0005) before it is pseudonymised.
import t from 'tap';
import { parseNdjson, runCli } from '../helpers/run-cli.js';
import { parseAny } from '../dicom/profile/helpers.js';
import { CT_IMAGE_STORAGE, el, part10 } from '../dicom/raw-elements.js';

function ctInstance(charset: string | undefined, patientId: Buffer): Buffer {
  return part10([
    ...(charset === undefined ? [] : [el(0x00080005, 'CS', charset)]),
    el(0x00080016, 'UI', CT_IMAGE_STORAGE),
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
