import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DeidConfig } from '../config/model.js';
import { DeidError } from '../core/errors.js';
import type { LoadedKey } from '../core/key.js';
import type { Failed, Item } from '../core/record.js';
import { makeFhirEnv } from '../fhir/make-env.js';
import { PatientContext } from '../fhir/patient.js';
import { openResolvedInputs, RECORD_QUEUE, resolveInputs } from '../sources/open-inputs.js';
import { BulkFolderWriter } from '../sinks/bulk-folder-writer.js';
import { createErrorLog } from '../sinks/error-log.js';
import { createNdjsonWriter } from '../sinks/ndjson-writer.js';
import { pipeToStdout } from '../sinks/stdout.js';
import { STAGES } from '../transforms/registry.js';
import { collectPatientContext } from './collect-patient-context.js';
import { RunStats } from './run-stats.js';
import { writeReport } from './write-report.js';

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
}

type Json = Record<string, unknown>;

/**
 * One `deid fhir` run: inputs → de-identification → NDJSON (stdout) or a bulk
 * folder; failed records → error log; counts → report. Run-level problems
 * (missing input, unusable output) throw before anything is written.
 */
export async function runFhir(o: RunFhirOptions): Promise<RunStats> {
  const resolved = await resolveInputs(o.inputs);
  const toFolder = o.output !== '-';
  if (toFolder && fs.existsSync(o.output) && !fs.statSync(o.output).isDirectory()) {
    throw new DeidError('OUTPUT_EXISTS', `${o.output} exists and is not a folder`);
  }
  const context = new PatientContext();
  if (o.config.fhir?.contextualDeid ?? true) await collectPatientContext(resolved, context);
  const env = makeFhirEnv(o.config, o.key.bytes, context);
  const stats = new RunStats();
  const errorLog = createErrorLog({ path: o.errorsFile ?? null });
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
    const writer = new BulkFolderWriter({
      dir: o.output,
      unbundle: Boolean(o.unbundle),
      overwrite: true,
      transactionTime: reproducibleTime(stats.started),
      request: 'deid fhir',
      onFailed: onWriterFailed,
    });
    await pipeline([...counted, writer]);
  } else {
    const writer = createNdjsonWriter({ unbundle: Boolean(o.unbundle), onFailed: onWriterFailed });
    const chained = counted.slice(1).reduce<NodeJS.ReadableStream>((up, s) => up.pipe(s as NodeJS.WritableStream & Transform), counted[0]!).pipe(writer);
    const ended = await pipeToStdout(chained, o.stdout);
    if (ended === 'closed') for (const s of counted) s.destroy();
  }
  await new Promise<void>((resolve, reject) => errorLog.end((e?: Error | null) => (e ? reject(e) : resolve())));
  stats.ended = new Date();
  stats.actions = flattenCounts(env.counts);
  if (o.reportFile) {
    await writeReport(o.reportFile, stats.toReport({
      operation: 'fhir',
      configDigest: o.config.digest,
      profile: env.plan.profile,
      keySource: o.key.source,
      inputs: resolved.map((r) => r.file),
      output: o.output,
      ...(o.errorsFile ? { errorLog: o.errorsFile } : {}),
    }));
  }
  return stats;
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
