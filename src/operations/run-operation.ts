import path from 'node:path';
import fs from 'node:fs';
import type { DeidConfig } from '../config/model.js';
import { DeidError, isDeidError, toDeidError } from '../core/errors.js';
import type { LoadedKey } from '../core/key.js';
import { Keyed } from '../core/keyed.js';
import { makeFhirEnv } from '../fhir/make-env.js';
import { PatientContext } from '../fhir/patient.js';
import { FileFhirStore } from '../stores/file-store.js';
import type { StoreReaderOptions } from '../stores/types.js';
import { Cancellation, SIGNAL_STATUS } from './cancellation.js';
import { ErrorJournal } from './error-journal.js';
import { refOrder, runFhirPair, type FhirPair } from './fhir-pair.js';
import { folderSource, storeSource, type FhirSource } from './fhir-source-units.js';
import { errorLogFile, loadOperation, OperationJournal } from './operation-file.js';
import { newOperationId } from './operation-id.js';
import { OperationLock } from './operation-lock.js';
import { recomputeTotals, zero, type Counters, type OperationRecord, type StoreState } from './operation-record.js';
import { collectStoreContext } from './patient-prepass.js';
import { createProgress, type Progress } from './progress.js';
import { runDicomPair, type DicomPair } from './dicom-pair.js';
import type { PatientResolver } from './patient-resolver.js';
import type { DicomExtension } from '../dicom/profile/plan.js';

export interface RunOperationOptions {
  command: OperationRecord['command'];
  source: string;
  destination: string;
  operationDir: string;
  pairs: FhirPair[];
  config: DeidConfig;
  key: LoadedKey;
  reader?: StoreReaderOptions;
  /** Resume this operation instead of starting one. */
  resume?: string;
  /** Error log path (default `<operationDir>/<id>.errors.ndjson`). A resume keeps the first one and refuses another (USAGE). */
  errorsFile?: string;
  /** Bounded wait for in-flight writes after a signal, in ms. Default 10 000. */
  drainMs?: number;
  /** Record save interval in ms. Default 1000. */
  saveIntervalMs?: number;
  progress?: Progress;
  /** DICOM stores, de-identified after the FHIR ones. */
  dicomPairs?: DicomPair[];
  dicomExtension?: DicomExtension;
  /** Cross-modality patient keys for the DICOM stores (datasets). */
  patientResolver?: PatientResolver;
  /** Called once the record exists (its id is known). */
  onStart?: (id: string) => void;
  /** Called at the first SIGINT/SIGTERM (e.g. to abort the requests of stores opened by the caller). */
  onCancel?: () => void;
}

export interface OperationResult {
  record: OperationRecord;
  /** 0, 3 (completed with failures), 130/143 (cancelled). */
  exitStatus: number;
}

const keyCheckOf = (key: Buffer, id: string): string => new Keyed(key).pseudonym('operation-key-check', id);

function reproducibleTime(started: string): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000).toISOString() : started;
}

function startRecord(o: RunOperationOptions): OperationRecord {
  const id = newOperationId();
  const now = new Date().toISOString();
  const options: OperationRecord['options'] = {};
  if (o.reader?.resources) options.resources = o.reader.resources;
  if (o.reader?.skipModifiedAfter) options.skipModifiedAfter = o.reader.skipModifiedAfter.toISOString();
  return {
    id,
    command: o.command,
    status: 'running',
    configDigest: o.config.digest,
    ...(o.config.fhir ? { ageReferenceDate: o.config.fhir.ageReferenceDate } : {}),
    keyCheck: keyCheckOf(o.key.bytes, id),
    keySource: o.key.source,
    startTime: now,
    updateTime: now,
    source: o.source,
    destination: o.destination,
    options,
    errorLog: path.resolve(o.errorsFile ?? errorLogFile(o.operationDir, id)),
    counters: zero(),
    errors: {},
    stores: {},
  };
}

/**
 * A resumed operation keeps its one error log: the failures of the units it
 * does not redo are already there, and a second file would split them.
 */
function refuseNewErrorLog(o: RunOperationOptions, rec: OperationRecord): void {
  if (o.errorsFile !== undefined && path.resolve(o.errorsFile) !== rec.errorLog) {
    throw new DeidError('USAGE', `--resume ${rec.id} keeps the operation's error log ${rec.errorLog}; --errors cannot name another file`);
  }
}

function resumeRecord(o: RunOperationOptions, id: string): OperationRecord {
  const rec = loadOperation(o.operationDir, id);
  const mismatch = (what: string) => new DeidError('USAGE', `--resume ${id}: ${what} differs from the operation's`);
  if (rec.command !== o.command) throw mismatch('command');
  if (rec.source !== o.source) throw mismatch('source');
  if (rec.destination !== o.destination) throw mismatch('destination');
  if (rec.configDigest !== o.config.digest) throw mismatch('config');
  if (JSON.stringify(rec.options) !== JSON.stringify(startRecord(o).options)) throw mismatch('resource selection');
  if (rec.keyCheck !== keyCheckOf(o.key.bytes, id)) throw new DeidError('KEY_INVALID', `--resume ${id}: not the key the operation started with`);
  // the units redone read birth dates against the day the operation started with, as the others were
  if (typeof rec.ageReferenceDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(rec.ageReferenceDate) && o.config.fhir) o.config.fhir = { ...o.config.fhir, ageReferenceDate: rec.ageReferenceDate };
  rec.resumed = (rec.resumed ?? 0) + 1;
  rec.status = 'running';
  delete rec.endTime;
  delete rec.signal;
  delete rec.error;
  // units that are redone lose their log lines and counters
  for (const st of Object.values(rec.stores)) {
    for (const [name, u] of Object.entries(st.units)) if (!u.done && u.retry) delete st.units[name];
  }
  rec.errors = ErrorJournal.prune(rec.errorLog, (store, unit, file) => {
    const u = rec.stores[store]?.units[unit];
    if (u === undefined) return false;
    if (u.done || u.lastDone === undefined) return u.done;
    // a unit resumed after its last settled key keeps the failures up to that key
    const ref = file.slice(file.lastIndexOf('#') + 1);
    return file.includes('#') && refOrder(ref, u.lastDone) <= 0;
  });
  return rec;
}

/**
 * Runs (or resumes) an operation: every pair's source de-identified into its
 * destination unit by unit, with the record kept beside the destination.
 * Record failures are logged and counted, never fatal; a run-level error
 * ends the operation as failed (and is thrown); a signal cancels it.
 */
export async function runOperation(o: RunOperationOptions): Promise<OperationResult> {
  if (o.resume) {
    const done = loadOperation(o.operationDir, o.resume);
    refuseNewErrorLog(o, done);
    if (done.status === 'succeeded') return { record: done, exitStatus: 0 };
  }
  const started = o.resume ? undefined : startRecord(o);
  try {
    fs.mkdirSync(o.operationDir, { recursive: true });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new DeidError('WRITE_FAILED', `operation files (${typeof code === 'string' ? code : 'error'})`);
  }
  // taken before a resume prunes the error log
  const lock = OperationLock.acquire(o.operationDir, o.resume ?? started!.id);
  try {
    return await runLocked(o, started ?? resumeRecord(o, o.resume!));
  } finally {
    lock.release();
  }
}

async function runLocked(o: RunOperationOptions, rec: OperationRecord): Promise<OperationResult> {
  const errors = new ErrorJournal(rec.errorLog);
  try {
    fs.mkdirSync(o.operationDir, { recursive: true });
    if (!o.resume) fs.writeFileSync(rec.errorLog, '');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new DeidError('WRITE_FAILED', `operation files (${typeof code === 'string' ? code : 'error'})`);
  }
  const prevErrors = { ...rec.errors };
  const live = new Map<string, Map<string, Record<string, Counters>>>();
  const journal = new OperationJournal(o.operationDir, rec, () => {
    errors.flush();
    recomputeTotals(rec, live);
    const merged: Record<string, number> = { ...prevErrors };
    for (const [c, n] of Object.entries(errors.counts)) merged[c] = (merged[c] ?? 0) + n;
    rec.errors = merged;
  }, o.saveIntervalMs ?? 1000);
  journal.save();
  o.onStart?.(rec.id);

  const cancel = new Cancellation().listen();
  if (o.onCancel) cancel.abortSignal.addEventListener('abort', o.onCancel, { once: true });
  const progress = o.progress ?? createProgress();
  let unitsDone = 0;
  let plannedTotal = 0;
  const showProgress = () => {
    const t = rec.counters;
    progress.update(t.success + t.failure, unitsDone, plannedTotal || undefined);
  };
  const context = new PatientContext();
  try {
    const sources = new Map<string, FhirSource>();
    for (const p of o.pairs) {
      const src = p.source instanceof FileFhirStore ? await folderSource(p.source, o.reader ?? {}) : storeSource(p.source, { ...o.reader, signal: cancel.abortSignal });
      sources.set(p.name, src);
      plannedTotal += src.plannedUnits?.length ?? 0;
    }
    if (o.config.fhir?.contextualDeid ?? true) {
      for (const p of o.pairs) await collectStoreContext(sources.get(p.name)!, p.source, context, cancel.abortSignal);
    }
    const env = makeFhirEnv(o.config, o.key.bytes, context);
    for (const p of o.pairs) {
      const st: StoreState = (rec.stores[p.name] ??= { kind: 'fhir', source: p.source.uri, destination: p.destination.uri, units: {}, counters: zero(), byType: {} });
      unitsDone += Object.values(st.units).filter((u) => u.done).length;
      const liveUnits = new Map<string, Record<string, Counters>>();
      live.set(p.name, liveUnits);
      const complete = await runFhirPair(p, sources.get(p.name)!, st, liveUnits, {
        rec,
        env,
        errors,
        journal,
        cancel,
        drainMs: o.drainMs ?? 10_000,
        transactionTime: reproducibleTime(rec.startTime),
        unitFinished: () => {
          unitsDone++;
          showProgress();
        },
        tick: showProgress,
      });
      if (!complete) break;
    }
    if (!cancel.cancelled) {
      for (const p of o.dicomPairs ?? []) {
        const st: StoreState = (rec.stores[p.name] ??= { kind: 'dicom', source: p.source.uri, destination: p.destination.uri, units: {}, counters: zero(), byType: {} });
        const liveUnits = new Map<string, Record<string, Counters>>();
        live.set(p.name, liveUnits);
        const complete = await runDicomPair(p, st, liveUnits, {
          config: o.config,
          key: o.key.bytes,
          ...(o.dicomExtension ? { extension: o.dicomExtension } : {}),
          ...(o.patientResolver ? { resolver: o.patientResolver } : {}),
          cancel,
          journal,
          onFailure: (store, unit, f) => errors.add(store, unit, f),
          tick: showProgress,
        });
        if (!complete) break;
      }
    }
    errors.flush();
    recomputeTotals(rec, live);
    const allDone = Object.values(rec.stores).every((s) => Object.values(s.units).every((u) => u.done) && (s.finalized ?? true));
    if (cancel.signal) {
      rec.status = 'cancelled';
      rec.signal = cancel.signal;
    } else rec.status = rec.counters.failure > 0 || !allDone ? 'completed-with-failures' : 'succeeded';
  } catch (e) {
    const err = isDeidError(e) ? e : toDeidError(e);
    rec.status = 'failed';
    rec.error = { code: err.code, message: err.message };
    rec.endTime = new Date().toISOString();
    try {
      journal.save();
    } catch {
      // the original error is the one to report
    }
    throw err;
  } finally {
    progress.stop();
    cancel.dispose();
    context.close();
  }
  rec.endTime = new Date().toISOString();
  journal.save();
  const exitStatus = cancel.signal ? SIGNAL_STATUS[cancel.signal] : rec.status === 'succeeded' ? 0 : 3;
  return { record: rec, exitStatus };
}

export type { FhirPair };
