import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DeidConfig } from '../config/model.js';
import { ErrorCodes, toDeidError } from '../core/errors.js';
import { failed, type Failed } from '../core/record.js';
import { prepareInstance, writeInstance, type InstanceSetup } from '../dicom/profile/deidentify-instance.js';
import type { DicomExtension } from '../dicom/profile/plan.js';
import type { InstanceFacts } from '../dicom/profile/scan-instance.js';
import { instanceSetup } from '../pipeline/dicom-instance.js';
import { codeOf } from '../stores/dicom/codes.js';
import type { DicomStore, InstanceRef } from '../stores/dicom/types.js';
import type { Cancellation } from './cancellation.js';
import type { OperationJournal } from './operation-file.js';
import type { Counters, StoreState } from './operation-record.js';
import type { PatientResolver } from './patient-resolver.js';
import { UnitLedger } from './unit-ledger.js';
import { reportedModality } from '../dicom/profile/modality-terms.js';

async function fileDigest(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** One DICOM store of an operation. */
export interface DicomPair {
  name: string;
  source: DicomStore;
  destination: DicomStore;
  /** Filter lines `/studies/{uid}[/series/{uid}[/instances/{uid}]]`; absent ones fail as not found. */
  filter?: string[];
}

export interface DicomRunContext {
  config: DeidConfig;
  key: Buffer;
  extension?: DicomExtension;
  /** Cross-modality date-shift key; without it the DICOM engine's own (PatientID). */
  resolver?: PatientResolver;
  cancel: Cancellation;
  journal: OperationJournal;
  onFailure: (store: string, unit: string, f: Failed) => void;
  tick: () => void;
}

const LISTING = '(listing)';

/**
 * A DICOM store de-identified into another, study by study (the checkpoint
 * unit). Each instance is copied to a private temporary file first (a
 * DICOMweb read cannot be repeated cheaply and the engine reads an instance
 * twice), de-identified into a second one, and handed to the destination,
 * which replaces an instance with the same UIDs: redoing a study duplicates
 * nothing. Listing problems are failures of a unit of their own.
 */
export async function runDicomPair(p: DicomPair, st: StoreState, liveUnits: Map<string, Record<string, Counters>>, c: DicomRunContext): Promise<boolean> {
  await p.destination.ensure();
  const setup: InstanceSetup = {
    ...instanceSetup({ config: c.config, key: c.key, ...(c.extension ? { extension: c.extension } : {}) }),
    ...(c.resolver ? { patientKey: patientKeyFrom(c.resolver) } : {}),
  };
  const listingFailures: Failed[] = [];
  const studies = new Map<string, InstanceRef[]>();
  try {
    for await (const ref of p.source.list(p.filter, { onFailed: (f) => listingFailures.push(f) })) {
      let list = studies.get(ref.study);
      if (!list) studies.set(ref.study, (list = []));
      list.push(ref);
    }
  } catch (e) {
    if (c.cancel.cancelled) return false; // the listing's requests were aborted by the signal
    throw e;
  }
  if (c.cancel.cancelled) return false;
  if (listingFailures.length && !st.units[LISTING]?.done) {
    const ledger = new UnitLedger((f) => c.onFailure(p.name, LISTING, f));
    for (const f of listingFailures) ledger.failedEarly({ ...f, resourceType: f.resourceType ?? 'instance' });
    st.units[LISTING] = ledger.state(true);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-dataset-dicom-'));
  try {
    for (const study of [...studies.keys()].sort()) {
      if (st.units[study]?.done) continue;
      if (c.cancel.cancelled) return false;
      const ledger = new UnitLedger((f) => c.onFailure(p.name, study, f));
      liveUnits.set(study, ledger.live);
      st.units[study] = ledger.state(false);
      const stored = new Map<string, string>();
      for (const ref of studies.get(study)!) {
        if (c.cancel.cancelled) break;
        await oneInstance(p, ref, setup, c, ledger, work, stored);
        c.journal.tick();
        c.tick();
      }
      st.units[study] = ledger.state(!c.cancel.cancelled);
      if (!c.cancel.cancelled) liveUnits.delete(study);
      c.journal.save();
      if (c.cancel.cancelled) return false;
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return true;
}

/** Only a patient found in FHIR changes the key; otherwise the engine's own stands (PatientID, else the study). */
function patientKeyFrom(resolver: PatientResolver): (facts: InstanceFacts) => string | undefined {
  return (facts) => {
    const key = resolver(facts.patientId ?? '', facts.studyInstanceUid ?? '');
    return key.startsWith('Patient/') ? key : undefined;
  };
}

/**
 * `stored`: digest of each output already written in this study by source
 * SOPInstanceUID. The destination replaces an instance with the same UIDs (so
 * redoing a study duplicates nothing); a second source instance with that UID
 * and other content must not silently replace the first.
 */
async function oneInstance(p: DicomPair, ref: InstanceRef, setup: InstanceSetup, c: DicomRunContext, ledger: UnitLedger, work: string, stored: Map<string, string>): Promise<void> {
  const src = path.join(work, 'in.dcm');
  const out = path.join(work, 'out.dcm');
  const file = ref.location;
  const fail = (e: unknown, fallback: 'READ_FAILED' | 'STORE_WRITE_FAILED', type = 'instance'): void => {
    // a request aborted by a signal is no failure of the instance: its study is not done and is redone on resume
    if (c.cancel.cancelled) return;
    // refused credentials would fail every instance after this one: the run stops (failed, resumable)
    if (codeOf(e) === 'STORE_UNAUTHORIZED') throw e;
    const code = codeOf(e) !== 'INTERNAL' ? codeOf(e) : toDeidError(e, fallback).code;
    ledger.failedEarly(failed(code, toDeidError(e, fallback).message, { file }, type));
  };
  try {
    await pipeline((await p.source.read(ref)) as Readable, fs.createWriteStream(src));
  } catch (e) {
    return fail(e, 'READ_FAILED');
  }
  let prepared;
  try {
    prepared = await prepareInstance(fs.createReadStream(src), file, setup);
  } catch (e) {
    return fail(e, 'READ_FAILED');
  }
  const type = reportedModality(prepared.facts.modality);
  try {
    await writeInstance(fs.createReadStream(src), fs.createWriteStream(out), file, prepared, setup, new Map());
  } catch (e) {
    return fail(e, 'READ_FAILED', type);
  }
  const digest = await fileDigest(out);
  const earlier = stored.get(ref.instance);
  if (earlier !== undefined && earlier !== digest) {
    ledger.failedEarly(failed('DICOM_DUPLICATE_SOP', ErrorCodes.DICOM_DUPLICATE_SOP, { file }, type));
    return;
  }
  ledger.handed(type);
  try {
    await p.destination.write(fs.createReadStream(out), ref);
    stored.set(ref.instance, digest);
    ledger.resolvedUpTo(ledger.handedCount);
  } catch (e) {
    if (c.cancel.cancelled) return; // left pending: the study is redone on resume
    if (codeOf(e) === 'STORE_UNAUTHORIZED') throw e;
    const code = codeOf(e) !== 'INTERNAL' ? codeOf(e) : 'STORE_WRITE_FAILED';
    ledger.handedFailed(ledger.handedCount - 1, failed(code, toDeidError(e, 'STORE_WRITE_FAILED').message, { file }, type));
    ledger.resolvedUpTo(ledger.handedCount);
  }
}
