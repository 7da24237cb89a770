import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DeidConfig } from '../config/model.js';
import { DeidError } from '../core/errors.js';
import { removeOnSignal } from '../core/remove-on-signal.js';
import type { LoadedKey } from '../core/key.js';
import type { Failed, Item } from '../core/record.js';
import { prereadLexicon } from '../detectors/dictionaries.js';
import { makeFhirEnv } from '../fhir/make-env.js';
import { PatientContext } from '../fhir/patient.js';
import type { FhirEnv } from '../fhir/env.js';
import { openResolvedInputs, RECORD_QUEUE, resolveInputs, type ResolvedInput } from '../sources/open-inputs.js';
import { spoolStdin, type SpooledStdin } from '../sources/spool-stdin.js';
import type { AtomicFile } from '../sinks/atomic-file.js';
import { BulkFolderWriter, type SerializedLines } from '../sinks/bulk-folder-writer.js';
import { createErrorLog } from '../sinks/error-log.js';
import { createNdjsonWriter } from '../sinks/ndjson-writer.js';
import { pipeToStdout } from '../sinks/stdout.js';
import { STAGES } from '../transforms/registry.js';
import { collectPatientContext } from './collect-patient-context.js';
import type { BatchResult } from './fhir-batch.js';
import type { FhirPool } from './fhir-pool.js';
import { PushSource } from './push-source.js';
import { RunStats } from './run-stats.js';
import { outputClash } from './output-clash.js';
import { openReport, writeReport } from './write-report.js';

export interface RunFhirOptions {
  inputs: string[];
  /** '-' = NDJSON on stdout; anything else = a folder in the bulk layout. */
  output: string;
  config: DeidConfig;
  key: LoadedKey;
  errorsFile?: string;
  reportFile?: string;
  unbundle?: boolean;
  maxLineLength?: number;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  /** Stage names (src/transforms/registry.ts); default ['fhir-deidentify']. */
  stages?: string[];
  /**
   * Worker threads that de-identify NDJSON file inputs while the main thread
   * reads and writes (default 0: none; see fhirWorkerCount in
   * run-fhir-threads.ts). Stdin, JSON documents and
   * other stages always run on the main thread alone.
   */
  threads?: number;
  /** Raw NDJSON bytes per batch handed to a thread (default 128 KiB). */
  batchBytes?: number;
  /** Patients whose context values are held in the heap before they go to disk (default PatientContext.MAX_IN_MEMORY). */
  maxPatientsInMemory?: number;
}

type Json = Record<string, unknown>;

/**
 * One `deid fhir` run: inputs → de-identification → NDJSON (stdout) or a bulk
 * folder; failed records → error log; counts → report. Run-level problems
 * (missing input, unusable output) throw before anything is written.
 */
export async function runFhir(o: RunFhirOptions): Promise<RunStats> {
  const given = await resolveInputs(o.inputs);
  const toFolder = o.output !== '-';
  if (toFolder && fs.existsSync(o.output) && !fs.statSync(o.output).isDirectory()) {
    throw new DeidError('OUTPUT_EXISTS', `${o.output} exists and is not a folder`);
  }
  const clash = outputClash(o, given);
  if (clash) throw new DeidError('USAGE', clash);
  const contextual = o.config.fhir?.contextualDeid ?? true;
  const errorLog = createErrorLog({ path: o.errorsFile ?? null });
  let report: AtomicFile | undefined;
  let spoolDir: string | undefined;
  let forget: (() => void) | undefined;
  let copy: SpooledStdin | undefined;
  const pipeCopies = new Map<ResolvedInput, SpooledStdin>();
  // a signal leaves no unfinished error log or report behind
  const forgetTemps = errorLog.tempPath ? [removeOnSignal(errorLog.tempPath)] : [];
  try {
    // the error log and the report are created first: one that cannot be written stops the run before any output
    await errorLog.open();
    if (o.reportFile) {
      report = await openReport(o.reportFile);
      forgetTemps.push(removeOnSignal(report.tempPath));
    }
    // With contextual de-identification stdin is read twice, like a file: a
    // note that comes before its patient's record (`cat *.ndjson`, where
    // Patient.ndjson sorts after most types) is scrubbed of that patient's
    // values, and the output is the same as the file's.
    const stdinTwice = contextual && given.some((i) => i.path === null);
    // A pipe named as a path (`<(zcat x.gz)`) can be read once only, and a
    // path is read more than once (the first pass, a sniffed head, a corrupt
    // gzip read again): it is copied whatever the profile.
    if (stdinTwice || given.some((i) => i.once)) {
      spoolDir = makeSpoolDir();
      forget = removeOnSignal(spoolDir);
    }
    if (stdinTwice) copy = await spoolStdin(o.stdin ?? process.stdin, spoolDir!);
    for (const i of given) if (i.once) pipeCopies.set(i, await spoolStdin(fs.createReadStream(i.path!), spoolDir!, i.file));
    // every stdin input reads the one copy, its name still `-`; a pipe reads its copy, under its own name
    const resolved = given.map((i): ResolvedInput => {
      if (i.path === null) return copy ? { ...i, path: copy.path } : i;
      const piped = pipeCopies.get(i);
      return piped ? { file: i.file, path: piped.path, format: i.format, gzip: i.gzip } : i;
    });
    return await runResolved(o, resolved, toFolder, contextual, errorLog, report);
  } finally {
    // no-ops once committed; else an interrupted log or report is removed
    errorLog.destroy();
    report?.discard();
    for (const forget of forgetTemps) forget();
    copy?.remove();
    for (const c of pipeCopies.values()) c.remove();
    forget?.();
    if (spoolDir) fs.rmSync(spoolDir, { recursive: true, force: true });
  }
}

async function runResolved(
  o: RunFhirOptions,
  resolved: ResolvedInput[],
  toFolder: boolean,
  contextual: boolean,
  errorLog: ErrorLog,
  report: AtomicFile | undefined,
): Promise<RunStats> {
  let pool = await startPool(o, resolved, toFolder);
  // read while the first pass reads the inputs (workers share the one startPool read)
  const lexiconRead = pool ? undefined : prereadLexicon();
  const context = new PatientContext(o.maxPatientsInMemory ? { maxInMemory: o.maxPatientsInMemory } : {});
  try {
    if (contextual) await collectPatientContext(resolved, context);
    if (pool && context.spilled) {
      // Each worker would need its own copy of every patient's values: one thread reads them from disk instead.
      await pool.close();
      pool = undefined;
    }
    const env = makeFhirEnv(o.config, o.key.bytes, context);
    const stats = new RunStats();
    // a log that fails mid-run (a full disk) fails the run at its end, not the process at once
    let logFailure: Error | undefined;
    errorLog.on('error', (e: Error) => {
      logFailure ??= e;
    });
    if (pool) {
      const json = JSON.stringify(context.entries());
      pool.setContext(json);
      stats.actions = flattenCounts(await runThreaded(o, resolved, pool, env, json, stats, errorLog, toFolder));
    } else {
      await lexiconRead;
      await runOnMain(o, resolved, env, stats, errorLog, toFolder);
      stats.actions = flattenCounts(env.counts);
    }
    await new Promise<void>((resolve, reject) => errorLog.end((e?: Error | null) => (e || logFailure ? reject(logFailure ?? e) : resolve())));
    stats.ended = new Date();
    if (report && o.reportFile) {
      await writeReport(report, stats.toReport({
        operation: 'fhir',
        configDigest: o.config.digest,
        profile: env.plan.profile,
        // the day birth dates were read against (Safe Harbor's over-89 category): a rerun pins it with deid.ageReferenceDate
        ageReferenceDate: env.plan.ageReferenceDate,
        keySource: o.key.source,
        inputs: resolved.map((r) => r.file),
        output: o.output,
        ...(o.errorsFile ? { errorLog: o.errorsFile } : {}),
      }));
    }
    return stats;
  } finally {
    await pool?.close();
    context.close();
  }
}

type ErrorLog = ReturnType<typeof createErrorLog>;

/** A new folder in $TMPDIR for the copy of stdin. */
function makeSpoolDir(): string {
  try {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'deid-fhir-'));
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    throw new DeidError('WRITE_FAILED', `temporary copy of stdin in ${os.tmpdir()} (${typeof code === 'string' ? code : 'error'})`);
  }
}

async function startPool(o: RunFhirOptions, resolved: ResolvedInput[], toFolder: boolean): Promise<FhirPool | undefined> {
  const defaultStages = o.stages === undefined || (o.stages.length === 1 && o.stages[0] === 'fhir-deidentify');
  if (!defaultStages || !o.threads) return undefined;
  const { FhirPool, WORKER_YOUNG_MB } = await import('./fhir-pool.js');
  const { cloneable } = await import('./cloneable.js');
  const { fhirWorkerCount } = await import('./run-fhir-threads.js');
  const threads = fhirWorkerCount(resolved, o.threads);
  if (threads === 0 || !cloneable(o.config)) return undefined;
  // young generations stop growing (this thread's keeps its size), again as each worker starts
  const { fixYoungGeneration } = await import('../cli/heap-limits.js');
  const semiSpaceMb = WORKER_YOUNG_MB / 2;
  const fixed = fixYoungGeneration(semiSpaceMb);
  const { sharedLexicon } = await import('../detectors/dictionaries.js');
  const lexicon = sharedLexicon();
  // started before the first pass, so that the workers load while it reads
  return FhirPool.start(
    threads,
    { config: o.config, key: new Uint8Array(o.key.bytes), unbundle: Boolean(o.unbundle), toFolder, ...(lexicon ? { lexicon } : {}) },
    {
      ...(fixed ? { online: () => fixYoungGeneration(semiSpaceMb) } : {}),
    },
  );
}

/** The NDJSON inputs on worker threads (run-fhir-threads.ts); returns the actions applied. */
async function runThreaded(
  o: RunFhirOptions,
  resolved: ResolvedInput[],
  pool: FhirPool,
  env: FhirEnv,
  context: string,
  stats: RunStats,
  errorLog: ErrorLog,
  toFolder: boolean,
): Promise<Map<string, Map<string, number>>> {
  const { runThreadedPass } = await import('./run-fhir-threads.js');
  const actions = new Map<string, Map<string, number>>();
  const fail = (f: Failed) => {
    stats.fail(f);
    errorLog.add(f);
  };
  const account = (r: BatchResult) => {
    for (const [type, n] of r.ok) stats.ok(type, n);
    for (const { f, writer } of r.failures) {
      if (writer) stats.reclassify(f);
      else stats.fail(f);
      errorLog.add(f);
    }
    for (const [key, counts] of r.counts) {
      let m = actions.get(key);
      if (!m) actions.set(key, (m = new Map()));
      for (const [action, n] of counts) m.set(action, (m.get(action) ?? 0) + n);
    }
  };
  const out = new PushSource<Buffer | SerializedLines>(toFolder);
  const pass = runThreadedPass({
    inputs: resolved,
    pool,
    env,
    context,
    unbundle: Boolean(o.unbundle),
    toFolder,
    ...(o.maxLineLength ? { maxLineLength: o.maxLineLength } : {}),
    ...(o.batchBytes ? { batchBytes: o.batchBytes } : {}),
    account,
    fail,
    out,
  }).then(
    () => {
      if (!out.destroyed) out.push(null);
    },
    (e: unknown) => {
      out.destroy(e as Error);
      throw e;
    },
  );
  const writing = toFolder
    ? pipeline(out, bulkWriter(o, stats, (f) => { stats.reclassify(f); errorLog.add(f); }))
    : pipeToStdout(out, o.stdout);
  const [passed, written] = await Promise.allSettled([pass, writing]);
  if (passed.status === 'rejected') throw passed.reason;
  if (written.status === 'rejected') throw written.reason;
  return actions;
}

/** The one-thread pipeline: inputs → stages → writer. */
async function runOnMain(o: RunFhirOptions, resolved: ResolvedInput[], env: FhirEnv, stats: RunStats, errorLog: ErrorLog, toFolder: boolean): Promise<void> {
  const onWriterFailed = (f: Failed) => {
    stats.reclassify(f);
    errorLog.add(f);
  };

  const source = openResolvedInputs(resolved, {
    ...(o.maxLineLength ? { maxLineLength: o.maxLineLength } : {}),
    ...(o.stdin ? { stdin: o.stdin } : {}),
  });
  const stages = (o.stages ?? ['fhir-deidentify']).map((name) => STAGES[name]!({ fhir: env }));
  const counted = [source, ...stages, new CountItems(stats, errorLog)];
  if (toFolder) {
    await pipeline([...counted, bulkWriter(o, stats, onWriterFailed)]);
  } else {
    const writer = createNdjsonWriter({ unbundle: Boolean(o.unbundle), onFailed: onWriterFailed });
    const chained = counted.slice(1).reduce<NodeJS.ReadableStream>((up, s) => up.pipe(s as NodeJS.WritableStream & Transform), counted[0]!).pipe(writer);
    const ended = await pipeToStdout(chained, o.stdout);
    if (ended === 'closed') for (const s of counted) s.destroy();
  }
}

function bulkWriter(o: RunFhirOptions, stats: RunStats, onFailed: (f: Failed) => void): BulkFolderWriter {
  return new BulkFolderWriter({
    dir: o.output,
    unbundle: Boolean(o.unbundle),
    overwrite: true,
    replacePrevious: true,
    transactionTime: reproducibleTime(stats.started),
    request: 'deid fhir',
    onFailed,
    tempFile: removeOnSignal,
  });
}

/** `Patient.name.family: removed` → n, for the report. */
export function flattenCounts(counts: Map<string, Map<string, number>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, actions] of counts) for (const [action, n] of actions) out.set(`${key}: ${action}`, n);
  return out;
}

/** SOURCE_DATE_EPOCH (seconds) when set, for reproducible manifests; else the run's start. */
function reproducibleTime(started: Date): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000).toISOString() : started.toISOString();
}

/** Counts items by resource type; failed ones go to the error log and no further. */
class CountItems extends Transform {
  constructor(readonly stats: RunStats, readonly errorLog: NodeJS.WritableStream & { add(f: Failed): void }) {
    super({ objectMode: true, highWaterMark: RECORD_QUEUE });
  }

  override _transform(item: Item, _enc: BufferEncoding, cb: TransformCallback): void {
    if (item.kind === 'failed') {
      this.stats.fail(item);
      this.errorLog.add(item);
      cb();
      return;
    }
    if (item.kind === 'ok') {
      const v = item.value as Json;
      const type = item.loc.entry !== undefined ? ((v?.resource as Json | undefined)?.resourceType as string | undefined) ?? 'Bundle.entry' : String(v?.resourceType);
      this.stats.ok(type);
    } else if (item.kind === 'end') {
      this.stats.ok('Bundle');
    }
    cb(null, item);
  }
}
