import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DeidConfig } from '../config/model.js';
import { isDicomPart } from '../config/normalize-dicom.js';
import { DeidError, toDeidError } from '../core/errors.js';
import { Keyed } from '../core/keyed.js';
import type { LoadedKey } from '../core/key.js';
import { failed, type Failed } from '../core/record.js';
import { prepareInstance, writeInstance, type InstanceSetup, type PreparedInstance } from '../dicom/profile/deidentify-instance.js';
import { OPTION_NAMES } from '../dicom/profile/options.js';
import { dicomPlanFrom, type DicomExtension, type DicomPlan } from '../dicom/profile/plan.js';
import { createErrorLog } from '../sinks/error-log.js';
import { pipeToStdout } from '../sinks/stdout.js';
import { listDicomInputs, type DicomInput } from './dicom-inputs.js';
import { RunStats } from './run-stats.js';
import { writeReport } from './write-report.js';

export interface RunDicomOptions {
  inputs: string[];
  /** A folder (`<StudyUID>/<SeriesUID>/<SOPInstanceUID>.dcm`), or '-' for one instance on stdout. */
  output: string;
  config: DeidConfig;
  key: LoadedKey;
  /** deid's own DICOM settings (profile options, burned-in switch). */
  extension?: DicomExtension;
  errorsFile?: string;
  reportFile?: string;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
}

/**
 * One `deid dicom` run. Each instance is read twice (facts up to the pixel
 * data, then the streamed edit), written under a temporary name inside the
 * output folder and renamed to its final, new-UID path only when complete; a
 * malformed or quarantined instance becomes an error entry and leaves no file.
 * Run-level problems (missing input, bad output, bad options) throw first.
 */
export async function runDicom(o: RunDicomOptions): Promise<RunStats> {
  const inputs = listDicomInputs(o.inputs);
  const toStdout = o.output === '-';
  if (toStdout && inputs.length !== 1) throw new DeidError('USAGE', '-o - writes one instance; give exactly one input');
  if (!toStdout) {
    if (fs.existsSync(o.output) && !fs.statSync(o.output).isDirectory()) throw new DeidError('OUTPUT_EXISTS', `${o.output} exists and is not a folder`);
    try {
      fs.mkdirSync(o.output, { recursive: true });
    } catch {
      throw new DeidError('WRITE_FAILED', o.output);
    }
  }
  const part = isDicomPart(o.config.dicom) ? o.config.dicom : undefined;
  const plan = dicomPlanFrom(part, o.extension, o.config.fhir?.dateShiftRangeDays ?? 100);
  const setup: InstanceSetup = { plan, keyed: new Keyed(o.key.bytes), text: o.config.text };
  const stats = new RunStats();
  const errorLog = createErrorLog({ path: o.errorsFile ?? null });
  const counts = new Map<string, number>();
  const tempDir = toStdout ? fs.mkdtempSync(path.join(os.tmpdir(), 'deid-dicom-')) : o.output;

  try {
    for (const input of inputs) {
      let spooled: string | undefined;
      try {
        if (input.path === null) spooled = await spoolStdin(o.stdin ?? process.stdin, tempDir);
        const src = spooled ?? input.path!;
        const r = await oneInstance(input, src, tempDir, o.output, toStdout, setup, counts, o.stdout);
        if (r.kind === 'failed') {
          stats.fail(r);
          errorLog.add(r);
        } else {
          stats.ok(r.type);
        }
      } finally {
        if (spooled) fs.rmSync(spooled, { force: true });
      }
    }
  } finally {
    if (toStdout) fs.rmSync(tempDir, { recursive: true, force: true });
  }

  await new Promise<void>((resolve, reject) => errorLog.end((e?: Error | null) => (e ? reject(e) : resolve())));
  stats.ended = new Date();
  stats.actions = counts;
  if (o.reportFile) {
    await writeReport(o.reportFile, stats.toReport({
      operation: 'dicom',
      configDigest: o.config.digest,
      profile: plan.base,
      options: OPTION_NAMES.filter((n) => plan.options[n]),
      regenerateUids: plan.regenerateUids,
      allowBurnedIn: plan.allowBurnedIn,
      keySource: o.key.source,
      inputs: inputs.map((i) => i.file),
      output: o.output,
      ...(o.errorsFile ? { errorLog: o.errorsFile } : {}),
    }));
  }
  return stats;
}

type InstanceOutcome = { kind: 'ok'; type: string } | Failed;

async function oneInstance(
  input: DicomInput,
  src: string,
  tempDir: string,
  outDir: string,
  toStdout: boolean,
  setup: InstanceSetup,
  counts: Map<string, number>,
  stdout: NodeJS.WritableStream | undefined,
): Promise<InstanceOutcome> {
  const file = input.file;
  let prepared: PreparedInstance;
  try {
    prepared = await prepareInstance(open(src), file, setup);
  } catch (e) {
    return failedFrom(e, file);
  }
  const type = prepared.facts.modality || '(unknown)';
  const temp = path.join(tempDir, `.deid-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const local = new Map<string, number>();
  try {
    await writeInstance(open(src), fs.createWriteStream(temp, { flags: 'wx' }), file, prepared, setup, local);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    return failedFrom(e, file, type);
  }
  try {
    if (toStdout) {
      await pipeToStdout(fs.createReadStream(temp), stdout);
    } else {
      const dir = path.join(outDir, prepared.studyUid, prepared.seriesUid);
      fs.mkdirSync(dir, { recursive: true });
      fs.renameSync(temp, path.join(dir, `${prepared.sopUid}.dcm`));
    }
  } catch (e) {
    throw new DeidError('WRITE_FAILED', (e as { code?: string }).code ?? 'output');
  } finally {
    fs.rmSync(temp, { force: true });
  }
  for (const [k, n] of local) counts.set(k, (counts.get(k) ?? 0) + n);
  return { kind: 'ok', type };
}

function open(p: string): Readable {
  return fs.createReadStream(p, { highWaterMark: 256 * 1024 });
}

function failedFrom(e: unknown, file: string, type?: string): Failed {
  const err = toDeidError(e, 'READ_FAILED');
  const loc = err.loc ?? { file };
  return failed(err.code, err.message, { ...loc, file }, type);
}

/** stdin is read twice like any input, so it is first copied to a temporary file (never held in memory). */
async function spoolStdin(stdin: NodeJS.ReadableStream, dir: string): Promise<string> {
  const p = path.join(dir, `.deid-stdin-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await pipeline(stdin as Readable, fs.createWriteStream(p, { flags: 'wx' }) as Writable);
  } catch {
    fs.rmSync(p, { force: true });
    throw new DeidError('READ_FAILED', 'stdin');
  }
  return p;
}

export type { DicomPlan };
