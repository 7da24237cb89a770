import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configDigest } from '../config/digest.js';
import type { DeidConfig } from '../config/model.js';
import { DeidError } from '../core/errors.js';
import { removeOnSignal } from '../core/remove-on-signal.js';
import type { LoadedKey } from '../core/key.js';
import { failed, type Failed } from '../core/record.js';
import { OPTION_NAMES } from '../dicom/profile/options.js';
import type { DicomExtension, DicomPlan } from '../dicom/profile/plan.js';
import { createErrorLog } from '../sinks/error-log.js';
import { pipeToStdout } from '../sinks/stdout.js';
import { spoolStdin, type SpooledStdin } from '../sources/spool-stdin.js';
import { listDicomInputs } from './dicom-inputs.js';
import { instanceSetup, removeTemp, Scratch, writeInstance, type DicomSettings, type InstanceResult } from './dicom-instance.js';
import { cloneable } from './cloneable.js';
import { runPooled, workerCount } from './dicom-pool.js';
import { RunStats } from './run-stats.js';
import { claimExisting, SopClaims } from '../stores/dicom/sop-claims.js';
import { writeReport } from './write-report.js';

export interface RunDicomOptions {
  inputs: string[];
  /** A folder (`<StudyUID>/<SeriesUID>/<SOPInstanceUID>.dcm`), or '-' for one instance on stdout. */
  output: string;
  /**
   * Without one, deid's default (what an empty config gives: the PS3.15 basic
   * profile with modified dates, the default text config, the digest of `{}`),
   * without loading the config schema.
   */
  config?: DeidConfig;
  key: LoadedKey;
  /** deid's own DICOM settings (profile options, burned-in switch). */
  extension?: DicomExtension;
  errorsFile?: string;
  reportFile?: string;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  /**
   * Worker threads that de-identify instances beside the main thread: 0 for
   * none; by default one less than the available parallelism when there are
   * enough instances to pay for their start (see dicom-pool.ts).
   */
  threads?: number;
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
  // the plan refuses some configs: before the output folder exists
  const settings: DicomSettings = { key: o.key.bytes, ...(o.config ? { config: o.config } : {}), ...(o.extension ? { extension: o.extension } : {}) };
  const setup = instanceSetup(settings);
  if (toStdout && inputs.length !== 1) throw new DeidError('USAGE', '-o - writes one instance; give exactly one input');
  if (!toStdout) {
    if (fs.existsSync(o.output) && !fs.statSync(o.output).isDirectory()) throw new DeidError('OUTPUT_EXISTS', `${o.output} exists and is not a folder`);
    try {
      fs.mkdirSync(o.output, { recursive: true });
    } catch {
      throw new DeidError('WRITE_FAILED', o.output);
    }
  }
  const { plan } = setup;
  const stats = new RunStats();
  const errorLog = createErrorLog({ path: o.errorsFile ?? null });
  const counts = new Map<string, number>();
  // Temporary files go to a folder of their own, removed at the end and on a
  // signal; for a folder output it is inside it, so a hard link publishes them.
  let tempDir: string;
  try {
    tempDir = fs.mkdtempSync(toStdout ? path.join(os.tmpdir(), 'deid-dicom-') : path.join(o.output, '.deid-tmp-'));
  } catch {
    throw new DeidError('WRITE_FAILED', toStdout ? os.tmpdir() : o.output);
  }
  const forgetTempDir = removeOnSignal(tempDir);
  const out: OutputState = { outDir: o.output, toStdout, stdout: o.stdout, dirs: new Set(), claims: new SopClaims(path.join(tempDir, 'sop')) };
  const scratch = new Scratch();
  const record = (r: InstanceOutcome): void => {
    if (r.kind === 'failed') {
      stats.fail(r);
      errorLog.add(r);
    } else {
      stats.ok(r.type);
    }
  };

  try {
    // what an earlier run left in the folder is checked too (its temporary folder is hidden: not walked)
    if (!toStdout) await claimExisting(out.claims, o.output);
    const threads = toStdout || inputs.some((i) => i.path === null || i.once) ? 0 : workerCount(inputs.length, o.threads);
    if (threads > 0 && cloneable(settings)) {
      await runPooled(inputs, tempDir, settings, threads, setup, scratch, async (i, r) => record(await publishInstance(r, inputs[i]!.file, out, counts)));
    } else {
      for (const input of inputs) {
        // An instance edited in memory never waits for I/O: without a turn of
        // the event loop a signal's handler (removeOnSignal) would never run.
        await new Promise<void>((resolve) => setImmediate(resolve));
        let spooled: SpooledStdin | undefined;
        try {
          // each instance is read twice (a facts pass, then the edit): stdin and pipes are copied first
          if (input.path === null) spooled = await spoolStdin(o.stdin ?? process.stdin, tempDir);
          else if (input.once) spooled = await spoolStdin(fs.createReadStream(input.path), tempDir, input.file);
          const r = await writeInstance(input.file, spooled?.path ?? input.path!, tempDir, setup, scratch);
          record(await publishInstance(r, input.file, out, counts));
        } finally {
          spooled?.remove();
        }
      }
    }
  } finally {
    forgetTempDir();
    fs.rmSync(tempDir, { recursive: true, force: true });
  }

  await new Promise<void>((resolve, reject) => errorLog.end((e?: Error | null) => (e ? reject(e) : resolve())));
  stats.ended = new Date();
  stats.actions = counts;
  if (o.reportFile) {
    await writeReport(o.reportFile, stats.toReport({
      operation: 'dicom',
      configDigest: o.config?.digest ?? configDigest({}),
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

interface OutputState {
  outDir: string;
  toStdout: boolean;
  stdout: NodeJS.WritableStream | undefined;
  /** Output folders already made in this run. */
  dirs: Set<string>;
  /** The path each SOPInstanceUID of this run went to. */
  claims: SopClaims;
}

/**
 * Gives a written instance its final name (or sends it to stdout) and removes
 * its temporary file. Called in input order, so which of two inputs with the
 * same SOPInstanceUID keeps the name does not depend on timing, whether they
 * share a study and series (one name) or not (`SopClaims`).
 */
async function publishInstance(r: InstanceResult, file: string, out: OutputState, counts: Map<string, number>): Promise<InstanceOutcome> {
  if (r.kind === 'failed') return r;
  const { temp, type } = r;
  try {
    if (out.toStdout) {
      await pipeToStdout(fs.createReadStream(temp), out.stdout);
    } else {
      const rel = path.join(r.studyUid, r.seriesUid, `${r.sopUid}.dcm`);
      const kept = out.claims.claim(r.sopUid, rel);
      if (kept !== undefined && kept !== rel) {
        return failed('DICOM_DUPLICATE_SOP', `kept the instance already at ${kept}`, { file }, type);
      }
      const dir = path.join(out.outDir, r.studyUid, r.seriesUid);
      if (!out.dirs.has(dir)) {
        makeDir(dir);
        out.dirs.add(dir);
      }
      const final = path.join(dir, `${r.sopUid}.dcm`);
      if (!publish(temp, final)) {
        return failed('DICOM_DUPLICATE_SOP', `kept the instance already at ${path.relative(out.outDir, final)}`, { file }, type);
      }
    }
  } catch (e) {
    throw new DeidError('WRITE_FAILED', (e as { code?: string }).code ?? 'output');
  } finally {
    removeTemp(temp);
  }
  for (const [k, n] of r.counts) counts.set(k, (counts.get(k) ?? 0) + n);
  return { kind: 'ok', type };
}

/** A series folder: usually its study folder exists, so one mkdir; else the whole path. */
function makeDir(dir: string): void {
  try {
    fs.mkdirSync(dir);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') fs.mkdirSync(dir, { recursive: true });
    else if (code !== 'EEXIST' || !fs.statSync(dir).isDirectory()) throw e;
  }
}

/**
 * Gives the finished temporary file its final name without ever replacing a
 * file already there (a hard link fails on an existing name, unlike rename).
 * Two inputs with the same SOPInstanceUID map to the same name: the second is
 * accepted only when its output is byte-identical to what is there (the same
 * instance given twice, or a re-run), else false: never silently replaced.
 */
function publish(temp: string, final: string): boolean {
  try {
    fs.linkSync(temp, final);
    return true;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EEXIST') return sameBytes(temp, final);
    if (!NO_HARD_LINKS.has(code ?? '')) throw e;
  }
  // A file system without hard links: an exclusive rename is not available, so the name is
  // claimed with O_EXCL (EEXIST if taken) and filled by a rename over our own claim.
  try {
    fs.closeSync(fs.openSync(final, 'wx'));
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') return sameBytes(temp, final);
    throw e;
  }
  fs.renameSync(temp, final);
  return true;
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

function sameBytes(a: string, b: string): boolean {
  const sa = fs.statSync(a);
  const sb = fs.statSync(b);
  if (!sb.isFile() || sa.size !== sb.size) return false;
  const fa = fs.openSync(a, 'r');
  const fb = fs.openSync(b, 'r');
  try {
    const ba = Buffer.allocUnsafe(1024 * 1024);
    const bb = Buffer.allocUnsafe(1024 * 1024);
    for (let pos = 0; pos < sa.size; ) {
      const n = fs.readSync(fa, ba, 0, ba.length, pos);
      const m = fs.readSync(fb, bb, 0, n, pos);
      if (n === 0 || m !== n || !ba.subarray(0, n).equals(bb.subarray(0, n))) return false;
      pos += n;
    }
    return true;
  } finally {
    fs.closeSync(fa);
    fs.closeSync(fb);
  }
}

export type { DicomPlan };
