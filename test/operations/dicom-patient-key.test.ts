import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import dicomParser from 'dicom-parser';
import t from 'tap';
import { Keyed } from '../../src/core/keyed.js';
import { prepareInstance, writeInstance, type InstanceSetup } from '../../src/dicom/profile/deidentify-instance.js';
import { dicomPlanFrom } from '../../src/dicom/profile/plan.js';
import type { InstanceFacts } from '../../src/dicom/profile/scan-instance.js';
import { deidDefaultConfig } from '../../src/fhir/make-env.js';
import { sharedData } from '../helpers/run-cli.js';

const SAMPLE = path.join(sharedData, 'dicom-samples/rt/rtplan.dcm');
const keyed = new Keyed(Buffer.alloc(32, 9));
const setup = (patientKey?: InstanceSetup['patientKey']): InstanceSetup => ({
  plan: dicomPlanFrom(undefined, {}, 100),
  keyed,
  text: deidDefaultConfig().text,
  ...(patientKey ? { patientKey } : {}),
});

async function deidentify(s: InstanceSetup): Promise<{ shiftDays: number; studyDate: string | undefined }> {
  const p = await prepareInstance(fs.createReadStream(SAMPLE), SAMPLE, s);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (b: Buffer) => chunks.push(b));
  await writeInstance(fs.createReadStream(SAMPLE), out, SAMPLE, p, s, new Map());
  const ds = dicomParser.parseDicom(new Uint8Array(Buffer.concat(chunks)), { untilTag: 'x7fe00010' });
  return { shiftDays: p.shiftDays, studyDate: ds.string('x00080020') };
}

const dayNumber = (da: string): number => Date.UTC(Number(da.slice(0, 4)), Number(da.slice(4, 6)) - 1, Number(da.slice(6, 8))) / 86_400_000;

t.test('patientKey decides the date shift; undefined or absent leaves the engine its own key', async (t) => {
  const header = dicomParser.parseDicom(new Uint8Array(fs.readFileSync(SAMPLE)), { untilTag: 'x7fe00010' });
  const pid = header.string('x00100020');
  const studyDate = header.string('x00080020');
  t.ok(pid && studyDate, 'the sample has a PatientID and a StudyDate');

  const own = await deidentify(setup());
  t.equal(own.shiftDays, keyed.dateShiftDays(`PatientID/${pid!}`, 100), 'no hook: PatientID');

  const seen: InstanceFacts[] = [];
  const linked = await deidentify(setup((f) => (seen.push(f), 'Patient/p-1')));
  t.equal(seen.length, 1, 'asked once per instance');
  t.equal(seen[0]!.patientId, pid, 'with the facts of the instance');
  t.equal(linked.shiftDays, keyed.dateShiftDays('Patient/p-1', 100));
  t.not(linked.shiftDays, own.shiftDays, 'the two keys give different shifts: the test can tell them apart');
  t.equal(dayNumber(linked.studyDate!) - dayNumber(studyDate!), linked.shiftDays, 'the written StudyDate moved by the hook key\'s days');

  const declined = await deidentify(setup(() => undefined));
  t.equal(declined.shiftDays, own.shiftDays, 'a hook that answers undefined leaves the default');
  t.equal(declined.studyDate, own.studyDate);
});
