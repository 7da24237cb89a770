import fs from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeidError, locatedError } from '../../core/errors.js';
import type { Keyed } from '../../core/keyed.js';
import type { TextDeidConfig } from '../../text/types.js';
import { EditorCore } from '../editor-core.js';
import { editFileSync, NeedsStreams, writeTokensSync } from '../edit-file-sync.js';
import { TokenizerCore } from '../tokenizer-core.js';
import type { DicomToken } from '../tokens.js';
import { InserterCore, type NewElement } from '../insert.js';
import { tokenShell, type TokenCore } from '../token-shell.js';
import { dicomTokenizer, type TokenizerOptions } from '../tokenizer.js';
import { dicomWriter, type WriterOptions } from '../writer.js';
import { burnedInReason } from './burned-in.js';
import { profileRule, type InstanceEnv } from './engine.js';
import { metaEdits, metaKeep } from './meta-elements.js';
import { methodElements } from './method-elements.js';
import type { DicomPlan } from './plan.js';
import { FactsCollector, scanError, scanInstance, type InstanceFacts } from './scan-instance.js';
import { loadTextCleaner, planCleansText } from './text-cleaner.js';
import { isStandardUid, isUidSyntax } from './uids.js';

const MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002;

export interface InstanceSetup {
  plan: DicomPlan;
  keyed: Keyed;
  /** Text config for the Clean action; without it, the default one (loaded only if the plan cleans text). */
  text?: TextDeidConfig;
  tokenizer?: TokenizerOptions;
  /**
   * The patient key an instance's date shift derives from, when the caller
   * knows the patient better than the header does (e.g. `Patient/<id>` found
   * in FHIR, so both modalities shift alike). Undefined → dateShiftKey(facts).
   */
  patientKey?: (facts: InstanceFacts) => string | undefined;
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
  /** New (0002,0002) when the meta's is text rather than a UID (what SOPClassUID gets for the same text). */
  mediaStorageClassUid?: string;
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
  return prepareFromFacts(await scanInstance(input, file, s.tokenizer), file, s);
}

/** What an instance's facts decide: quarantine (throws DICOM_BURNED_IN), date shift, output UIDs. */
function prepareFromFacts(facts: InstanceFacts, file: string, s: InstanceSetup): PreparedInstance {
  const reason = burnedInReason(facts);
  if (reason && !s.plan.allowBurnedIn) throw new DeidError('DICOM_BURNED_IN', reason, { file });
  const shiftDays = s.keyed.dateShiftDays(s.patientKey?.(facts) ?? dateShiftKey(facts), s.plan.dateShiftRangeDays);
  const sopUid = outUid(facts.sopInstanceUid, s, `no-sop/${file}`);
  // The meta names the instance: the new SOPInstanceUID, else the meta's own UID regenerated.
  let mediaStorageUid: string | undefined;
  if (s.plan.regenerateUids) {
    if (facts.sopInstanceUid) mediaStorageUid = sopUid;
    else if (facts.metaSopInstanceUid) mediaStorageUid = outUid(facts.metaSopInstanceUid, s, `no-sop/${file}`);
  }
  const cls = facts.metaSopClassUid;
  const mediaStorageClassUid = s.plan.regenerateUids && cls && !isUidSyntax(cls) ? s.keyed.uid(cls) : undefined;
  return {
    ...(mediaStorageClassUid ? { mediaStorageClassUid } : {}),
    facts,
    shiftDays,
    studyUid: outUid(facts.studyInstanceUid, s, `no-study/${file}`),
    seriesUid: outUid(facts.seriesInstanceUid, s, `no-series/${file}`),
    sopUid,
    mediaStorageUid,
  };
}

/** An instance held in memory, tokenized once for both passes. */
export interface TokenizedInstance {
  tokens: DicomToken[];
  prepared: PreparedInstance;
  /** A parse error past the pixel data (the facts were complete): the edit fails with it. */
  error?: unknown;
}

/**
 * prepareInstance for an instance's bytes, keeping its tokens for
 * writeTokensFile (one tokenization instead of two; the tokens refer to
 * `bytes`, which must stay unchanged until then). Undefined for a deflated
 * dataset (inflation is a stream: use prepareInstance and writeInstance).
 * Errors are prepareInstance's.
 */
export function prepareBytes(bytes: Buffer, file: string, s: InstanceSetup): TokenizedInstance | undefined {
  const tok = new TokenizerCore({ ...s.tokenizer, shareInput: true });
  let error: unknown;
  try {
    tok.feed(bytes);
    if (tok.inflating) return undefined;
    tok.end();
  } catch (e) {
    error = e;
  }
  if (tok.inflating) return undefined;
  const collector = new FactsCollector();
  let complete = false;
  try {
    for (let i = 0; i < tok.out.length; i++) {
      if (!collector.add(tok.out[i]!)) {
        complete = true;
        break;
      }
    }
  } catch (e) {
    throw scanError(e, file, collector.lastOffset);
  }
  // Like the streamed scan: an error before the pixel data is the instance's; after it, the edit's.
  if (error !== undefined && !complete) throw scanError(error, file, collector.lastOffset);
  const prepared = prepareFromFacts(collector.facts, file, s);
  return error === undefined ? { tokens: tok.out, prepared } : { tokens: tok.out, prepared, error };
}

/** The second pass over the tokens of prepareBytes into a new file `dest` (see writeInstanceFile). */
export async function writeTokensFile(t: TokenizedInstance, dest: string, file: string, s: InstanceSetup, counts: Map<string, number>): Promise<void> {
  if (t.error !== undefined) throw locatedError(t.error, file, 'INTERNAL');
  const local = new Map<string, number>();
  const { cores, writer } = await editStages(t.prepared, s, local);
  const fd = fs.openSync(dest, 'wx');
  try {
    writeTokensSync(t.tokens, fd, cores, writer);
  } catch (e) {
    throw locatedError(e, file, 'INTERNAL');
  } finally {
    fs.closeSync(fd);
  }
  for (const [k, n] of local) counts.set(k, (counts.get(k) ?? 0) + n);
}

/** The token cores and writer options of an instance's edit (shared by both writers below). */
async function editStages(p: PreparedInstance, s: InstanceSetup, counts: Map<string, number>): Promise<{ cores: TokenCore[]; writer: WriterOptions }> {
  const env: InstanceEnv = { plan: s.plan, keyed: s.keyed, facts: p.facts, shiftDays: p.shiftDays, counts };
  if (planCleansText(s.plan)) env.cleanText = await loadTextCleaner(s.text);
  const fixed = planStages(s.plan);
  const cores: TokenCore[] = [new EditorCore(profileRule(env))];
  if (fixed.method) cores.push(new InserterCore(fixed.method));
  const writer: WriterOptions = {
    clearPreamble: true,
    ...(p.mediaStorageUid ? { mediaStorageSOPInstanceUID: p.mediaStorageUid } : {}),
    metaElements: p.mediaStorageClassUid ? new Map([...fixed.meta, [MEDIA_STORAGE_SOP_CLASS_UID, p.mediaStorageClassUid]]) : fixed.meta,
    ...(fixed.keepMeta ? { keepMetaElement: fixed.keepMeta } : {}),
  };
  return { cores, writer };
}

/** What a plan adds to every instance and does to every file meta, made once per plan (neither is modified by its users). */
function planStages(plan: DicomPlan): PlanStages {
  let f = byPlan.get(plan);
  if (!f) byPlan.set(plan, (f = { method: plan.markDeidentified ? methodElements(plan) : undefined, meta: metaEdits(plan), keepMeta: metaKeep(plan) }));
  return f;
}

interface PlanStages {
  method: NewElement[] | undefined;
  meta: ReadonlyMap<number, string | null>;
  keepMeta: ((tag: number) => boolean) | undefined;
}

const byPlan = new WeakMap<DicomPlan, PlanStages>();

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
  const { cores, writer } = await editStages(p, s, counts);
  try {
    await pipeline([input, dicomTokenizer(s.tokenizer), ...cores.map(tokenShell), dicomWriter(writer), output]);
  } catch (e) {
    throw locatedError(e, file, 'INTERNAL');
  }
}

/**
 * The second pass from a file (or the instance's bytes) to a new file `dest`
 * (created; it must not exist), synchronously with reused buffers (see
 * editFileSync); a deflated dataset goes through writeInstance. Same bytes as
 * writeInstance. On failure `dest` may hold a partial file: the caller writes
 * to a temporary name and removes it.
 */
export async function writeInstanceFile(
  src: string | Buffer,
  dest: string,
  file: string,
  p: PreparedInstance,
  s: InstanceSetup,
  counts: Map<string, number>,
): Promise<void> {
  const local = new Map<string, number>();
  const { cores, writer } = await editStages(p, s, local);
  const fd = fs.openSync(dest, 'wx');
  let deflated = false;
  try {
    editFileSync(src, fd, cores, writer, s.tokenizer ? { tokenizer: s.tokenizer } : {});
  } catch (e) {
    if (!(e instanceof NeedsStreams)) throw locatedError(e, file, 'INTERNAL');
    deflated = true;
  } finally {
    fs.closeSync(fd);
  }
  if (deflated) {
    fs.rmSync(dest, { force: true });
    const input = typeof src === 'string' ? fs.createReadStream(src) : Readable.from([src], { objectMode: false });
    return writeInstance(input, fs.createWriteStream(dest, { flags: 'wx' }), file, p, s, counts);
  }
  for (const [k, n] of local) counts.set(k, (counts.get(k) ?? 0) + n);
}
