import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeidError, ErrorCodes, toDeidError } from '../../core/errors.js';
import type { Keyed } from '../../core/keyed.js';
import type { TextDeidConfig } from '../../text/types.js';
import { dicomEditor } from '../edit.js';
import { dicomInserter } from '../insert.js';
import { dicomTokenizer, type TokenizerOptions } from '../tokenizer.js';
import { dicomWriter } from '../writer.js';
import { burnedInReason } from './burned-in.js';
import { profileRule, type InstanceEnv } from './engine.js';
import { metaEdits } from './meta-elements.js';
import { methodElements } from './method-elements.js';
import type { DicomPlan } from './plan.js';
import { scanInstance, type InstanceFacts } from './scan-instance.js';
import { loadTextCleaner, planCleansText } from './text-cleaner.js';
import { isStandardUid } from './uids.js';

export interface InstanceSetup {
  plan: DicomPlan;
  keyed: Keyed;
  /** Text config for the Clean action; without it, the default one (loaded only if the plan cleans text). */
  text?: TextDeidConfig;
  tokenizer?: TokenizerOptions;
}

/** An instance ready to be written: its facts, date shift and output UIDs. */
export interface PreparedInstance {
  facts: InstanceFacts;
  shiftDays: number;
  /** UIDs the output carries (new ones unless UIDs are retained); used for the output path. */
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  /** New (0002,0003), or undefined to leave the meta's as it is (absent or empty). */
  mediaStorageUid: string | undefined;
}

/**
 * The date-shift key of an instance: its PatientID (the same key for every
 * instance of the patient, in any study), else its StudyInstanceUID.
 */
export function dateShiftKey(f: Pick<InstanceFacts, 'patientId' | 'studyInstanceUid' | 'sopInstanceUid'>): string {
  if (f.patientId) return `PatientID/${f.patientId}`;
  if (f.studyInstanceUid) return `StudyInstanceUID/${f.studyInstanceUid}`;
  return `SOPInstanceUID/${f.sopInstanceUid}`;
}

function outUid(orig: string, s: InstanceSetup, fallbackLabel: string): string {
  const valid = /^[0-9]+(\.[0-9]+)*$/.test(orig) && orig.length <= 64;
  if (valid && (!s.plan.regenerateUids || isStandardUid(orig))) return orig;
  return s.keyed.uid(orig || fallbackLabel);
}

/**
 * First pass: reads the instance up to its pixel data and decides. Rejects
 * with DICOM_BURNED_IN (quarantine) unless the plan allows it, or with the
 * parse error of a malformed input.
 */
export async function prepareInstance(input: Readable, file: string, s: InstanceSetup): Promise<PreparedInstance> {
  const facts = await scanInstance(input, file, s.tokenizer);
  const reason = burnedInReason(facts);
  if (reason && !s.plan.allowBurnedIn) throw new DeidError('DICOM_BURNED_IN', reason, { file });
  const shiftDays = s.keyed.dateShiftDays(dateShiftKey(facts), s.plan.dateShiftRangeDays);
  const sopUid = outUid(facts.sopInstanceUid, s, `no-sop/${file}`);
  // The meta names the instance: the new SOPInstanceUID, else the meta's own UID regenerated.
  let mediaStorageUid: string | undefined;
  if (s.plan.regenerateUids) {
    if (facts.sopInstanceUid) mediaStorageUid = sopUid;
    else if (facts.metaSopInstanceUid) mediaStorageUid = outUid(facts.metaSopInstanceUid, s, `no-sop/${file}`);
  }
  return {
    facts,
    shiftDays,
    studyUid: outUid(facts.studyInstanceUid, s, `no-study/${file}`),
    seriesUid: outUid(facts.seriesInstanceUid, s, `no-series/${file}`),
    sopUid,
    mediaStorageUid,
  };
}

/**
 * Second pass: streams the instance through the profile rule, adds the
 * de-identification method attributes and writes part-10 bytes to `output`.
 * On failure `output` is destroyed; a file sink must write to a temporary
 * name and rename only when this resolves.
 */
export async function writeInstance(
  input: Readable,
  output: Writable,
  file: string,
  p: PreparedInstance,
  s: InstanceSetup,
  counts: Map<string, number>,
): Promise<void> {
  const env: InstanceEnv = { plan: s.plan, keyed: s.keyed, facts: p.facts, shiftDays: p.shiftDays, counts };
  if (planCleansText(s.plan)) env.cleanText = await loadTextCleaner(s.text);
  const stages = [dicomTokenizer(s.tokenizer), dicomEditor(profileRule(env))];
  if (s.plan.markDeidentified) stages.push(dicomInserter(methodElements(s.plan)));
  const writer = dicomWriter({
    ...(p.mediaStorageUid ? { mediaStorageSOPInstanceUID: p.mediaStorageUid } : {}),
    metaElements: metaEdits(s.plan),
  });
  try {
    await pipeline([input, ...stages, writer, output]);
  } catch (e) {
    const err = toDeidError(e, 'INTERNAL');
    const m = /at offset (\d+)/.exec(err.message);
    const detail = err.message.slice(ErrorCodes[err.code].length + 2) || undefined;
    throw new DeidError(err.code, detail, { file, ...(m ? { offset: Number(m[1]) } : {}) });
  }
}
