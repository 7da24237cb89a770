import { closeSync, createReadStream, fstatSync, openSync } from 'node:fs';
import type { Command } from 'commander';
import { todayUtc } from '../core/age-over-89.js';
import { DeidError, ExitCode, toDeidError, type ErrorCode } from '../core/errors.js';
import { Keyed } from '../core/keyed.js';
import { loadKey } from '../core/key.js';
import { DEFAULT_TEXT_CONFIG } from '../text/default-config.js';
import { DETECTED_INFO_TYPES } from '../detectors/info-type-names.js';
import { deidentifyText, wantsNameParts } from '../text/deidentify-text.js';
import { findPhi } from '../text/find-phi.js';
import type { ContextValue, TextDeidConfig } from '../text/types.js';
import { guardStdout, isEpipe } from '../sinks/stdout.js';

export interface RunTextOptions {
  config?: TextDeidConfig;
  key: Buffer;
  /** Emit findings instead of de-identified text. */
  findings: boolean;
  /** With findings: include the matched text (PHI!) as `quote`. */
  quote: boolean;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Error entries, one JSON line each: {line, code, reason} — never record contents. */
  stderr: NodeJS.WritableStream;
  /** Longest accepted input line in bytes, and longest plain-text input (default 64 MiB). */
  maxLineLength?: number;
  /** ± days of the per-patient date shift (default 100, as `deid fhir`). */
  dateShiftRangeDays?: number;
  /** YYYY-MM-DD: a date of birth 90 or more years before it is no date to shift (default: today, UTC, as `deid fhir`). */
  ageReferenceDate?: string;
}

export interface RunTextStats {
  in: number;
  out: number;
  failed: number;
}

const DEFAULT_MAX_LINE = 64 * 1024 * 1024;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Writes `s`; waits for 'drain' when the stream asks to, or for its end when it fails or closes instead. */
function write(stream: NodeJS.WritableStream, s: string): Promise<void> {
  if (stream.write(s)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

/** A line of spaces, tabs and CRs only (or nothing), as deid fhir skips them: any other byte makes a record. */
function isBlank(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0x20 && b[i] !== 0x09 && b[i] !== 0x0d) return false;
  return true;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * The date-shift key a `patient` or `id` member gives: a string as it is, any
 * other value but null by its JSON (String() made every object
 * "[object Object]", one shift for all of them).
 */
function shiftKey(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return v === undefined || v === null ? undefined : JSON.stringify(v);
}

function contextOf(rec: Record<string, unknown>): ContextValue[] | undefined {
  const c = rec.context;
  if (c === undefined) return undefined;
  if (!Array.isArray(c)) throw new DeidError('TRANSFORM_FAILED', 'context must be an array of {value, infoType}');
  return c.map((v) => {
    if (!isPlainObject(v) || typeof v.value !== 'string') throw new DeidError('TRANSFORM_FAILED', 'context must be an array of {value, infoType}');
    return { value: v.value, infoType: typeof v.infoType === 'string' ? v.infoType : 'CTX' };
  });
}

/**
 * De-identifies (or inspects) free text.
 * Input: NDJSON lines `{"id":…, "text":…}` — other members are kept (but `context`); an
 * optional `patient` member keys the date shift (else `id` does; with neither,
 * dates are redacted), and an optional `context: [{value, infoType}]` adds
 * contextual values. Input that does not start with `{` is one plain-text
 * record, written back as plain text. A bad line becomes an error entry
 * `{"line":n,"code":…,"reason":…}` on stderr and the run goes on.
 */
export async function runText(opts: RunTextOptions): Promise<RunTextStats> {
  const cfg = opts.config ?? DEFAULT_TEXT_CONFIG;
  const keyed = new Keyed(opts.key);
  const maxLine = opts.maxLineLength ?? DEFAULT_MAX_LINE;
  const stats: RunTextStats = { in: 0, out: 0, failed: 0 };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const cryptoHash = (v: string) => keyed.cryptoHash(v);
  const ageReferenceDate = opts.ageReferenceDate ?? todayUtc();
  // The reader of our output went away (`deid text … | head -1`): stop reading, quietly.
  let outputError: unknown;
  const onOutputError = (e: unknown) => {
    outputError ??= e;
  };
  opts.output.on('error', onOutputError);

  const fail = async (line: number, e: unknown) => {
    stats.failed++;
    const err = toDeidError(e, 'TRANSFORM_FAILED');
    const code: ErrorCode = err.code;
    await write(opts.stderr, JSON.stringify({ line, code, reason: err.message }) + '\n');
  };

  const processRecord = (rec: Record<string, unknown>): string => {
    const text = rec.text;
    if (typeof text !== 'string') throw new DeidError('TRANSFORM_FAILED', 'record has no string text member');
    const context = contextOf(rec);
    if (opts.findings) {
      const found = findPhi(text, {
        infoTypes: cfg.infoTypes,
        excludeInfoTypes: cfg.excludeInfoTypes,
        nameParts: wantsNameParts(cfg),
        ...(context ? { context } : {}),
      });
      const findings = found.map((f) => (opts.quote ? { ...f, quote: text.slice(f.start, f.end) } : { ...f }));
      return JSON.stringify(rec.id !== undefined ? { id: rec.id, findings } : { findings });
    }
    const patient = shiftKey(rec.patient) ?? shiftKey(rec.id);
    const res = deidentifyText(text, cfg, {
      cryptoHash,
      ...(patient !== undefined ? { dateShiftDays: keyed.dateShiftDays(patient, opts.dateShiftRangeDays) } : {}),
      ageReferenceDate,
      ...(context ? { context } : {}),
    });
    // context holds the values known to be PHI: it is read, never written back
    const { context: _context, ...kept } = rec;
    return JSON.stringify({ ...kept, text: res.text });
  };

  const handleLine = async (buf: Buffer, lineNo: number) => {
    if (buf.length > 0 && buf[buf.length - 1] === 13) buf = buf.subarray(0, buf.length - 1);
    if (isBlank(buf)) return;
    stats.in++;
    try {
      if (buf.length > maxLine) throw new DeidError('LINE_TOO_LONG');
      let s: string;
      try {
        s = decoder.decode(buf);
      } catch {
        throw new DeidError('INVALID_ENCODING');
      }
      let rec: unknown;
      try {
        rec = JSON.parse(s);
      } catch {
        throw new DeidError('INVALID_JSON');
      }
      if (!isPlainObject(rec)) throw new DeidError('NOT_AN_OBJECT');
      await write(opts.output, processRecord(rec) + '\n');
      stats.out++;
    } catch (e) {
      await fail(lineNo, e);
    }
  };

  let mode: 'unknown' | 'ndjson' | 'plain' = 'unknown';
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let lineNo = 0;
  let skippingLongLine = false;
  let bomChecked = false;
  for await (const chunk of opts.input as AsyncIterable<Buffer | string>) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (mode === 'unknown') {
      let all = Buffer.concat([...pending, buf]);
      if (!bomChecked) {
        // a UTF-8 byte order mark is no content: NDJSON that starts with one is still NDJSON
        if (all.length < 3 && UTF8_BOM.subarray(0, all.length).equals(all)) {
          pending = [all];
          pendingLen = all.length;
          continue;
        }
        bomChecked = true;
        if (all.subarray(0, 3).equals(UTF8_BOM)) all = all.subarray(3);
      }
      const first = all.toString('latin1').search(/\S/);
      if (first < 0) {
        pending = [all];
        pendingLen = all.length;
        continue;
      }
      mode = all[first] === 0x7b ? 'ndjson' : 'plain';
      pending = [];
      pendingLen = 0;
      buf = all;
    }
    if (mode === 'plain') {
      // the whole text is one record: it is held to the line limit too
      if (!skippingLongLine) {
        pending.push(buf);
        pendingLen += buf.length;
        if (pendingLen > maxLine) {
          pending = [];
          pendingLen = 0;
          skippingLongLine = true;
        }
      }
      continue;
    }
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      lineNo++;
      if (skippingLongLine) {
        skippingLongLine = false;
        stats.in++;
        await fail(lineNo, new DeidError('LINE_TOO_LONG'));
      } else {
        const piece = buf.subarray(start, nl);
        const line = pending.length ? Buffer.concat([...pending, piece]) : piece;
        pending = [];
        pendingLen = 0;
        await handleLine(line, lineNo);
      }
      start = nl + 1;
      if (outputError) break;
    }
    if (outputError) break;
    if (start < buf.length && !skippingLongLine) {
      pending.push(buf.subarray(start));
      pendingLen += buf.length - start;
      // (one byte more than the limit: a CR before the LF does not count, and may end this chunk)
      if (pendingLen > maxLine + 1) {
        // Do not hold an over-long line in memory: drop it and report it at its end.
        pending = [];
        pendingLen = 0;
        skippingLongLine = true;
      }
    }
  }
  // input that ended inside what could have been a byte order mark is a plain-text record (not UTF-8)
  if (mode === 'unknown' && !bomChecked && pendingLen > 0) mode = 'plain';
  if (outputError) {
    // nothing more can be written
  } else if (mode === 'ndjson') {
    if (skippingLongLine) {
      lineNo++;
      stats.in++;
      await fail(lineNo, new DeidError('LINE_TOO_LONG'));
    } else if (pendingLen > 0) {
      lineNo++;
      await handleLine(Buffer.concat(pending), lineNo);
    }
  } else if (mode === 'plain' && skippingLongLine) {
    stats.in++;
    await fail(1, new DeidError('LINE_TOO_LONG'));
  } else if (mode === 'plain') {
    stats.in++;
    try {
      let text: string;
      try {
        text = decoder.decode(Buffer.concat(pending));
      } catch {
        throw new DeidError('INVALID_ENCODING');
      }
      if (opts.findings) {
        await write(opts.output, processRecord({ text }) + '\n');
      } else {
        const res = deidentifyText(text, cfg, { cryptoHash });
        await write(opts.output, res.text);
      }
      stats.out++;
    } catch (e) {
      await fail(1, e);
    }
  }
  opts.output.off('error', onOutputError);
  if (outputError && !isEpipe(outputError)) throw new DeidError('WRITE_FAILED');
  return stats;
}

/** A readable stream of `file`, opened now so that a missing input fails (66) before any output. */
function openInput(file: string): NodeJS.ReadableStream {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new DeidError((e as { code?: unknown }).code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'READ_FAILED', file);
  }
  if (fstatSync(fd).isDirectory()) {
    closeSync(fd);
    throw new DeidError('READ_FAILED', `${file} is a folder`);
  }
  return createReadStream('', { fd });
}

interface TextCliOptions {
  config?: string;
  keyFile?: string;
  findings?: boolean;
  quote?: boolean;
  infoTypes?: string;
}

export function registerTextCommand(program: Command, setStatus?: (s: number) => void): void {
  program
    .command('text')
    .description('De-identify free text: NDJSON {"id","text"} lines or plain text from a file or stdin, result on stdout')
    .argument('[input]', 'an NDJSON or plain-text file, or - for stdin (the default)', '-')
    .option('-c, --config <file>', 'Google TextConfig or DeidentifyConfig (JSON or YAML); default: BASIC')
    .option('--key-file <file>', 'key: ≥32 bytes as hex, base64 or raw (else $DEID_KEY, else a random key)')
    .option('--findings', 'write the findings (offsets, infoType, likelihood) instead of de-identified text')
    .option('--quote', 'with --findings: include the matched text (it is PHI)')
    .option('--info-types <list>', 'detect only these infoTypes, comma-separated (e.g. FIRST_NAME,LAST_NAME,DATE)')
    .action(async (inputPath: string, opts: TextCliOptions) => {
      // the config parser (and its validator) loads only when there is a config
      const run = opts.config ? (await import('./text-config-file.js')).loadTextRunConfig(opts.config) : { text: DEFAULT_TEXT_CONFIG };
      if (opts.config && 'config' in run && run.config) await (await import('./run-options.js')).checkDicomPart(run.config.parsed, run.config.value, opts.config);
      let config = run.text;
      if (opts.infoTypes !== undefined) {
        const infoTypes = opts.infoTypes.split(',').map((t) => t.trim()).filter(Boolean);
        if (infoTypes.length === 0 || !infoTypes.every((t) => /^[A-Z][A-Z0-9_]*$/.test(t))) throw new DeidError('USAGE', '--info-types takes infoType names separated by commas');
        // a name no detector reports would find nothing, and its values would pass through
        if (!infoTypes.every((t) => t === 'CTX' || DETECTED_INFO_TYPES.includes(t))) throw new DeidError('USAGE', `--info-types takes infoTypes deid detects: ${DETECTED_INFO_TYPES.join(', ')}, CTX`);
        config = { ...config, infoTypes };
      }
      const key = loadKey(opts.keyFile ? { keyFile: opts.keyFile } : {});
      const input = inputPath === '-' ? process.stdin : openInput(inputPath);
      if (key.source === 'random' && !opts.findings) {
        process.stderr.write('deid: warning: no --key-file or DEID_KEY; using a random key, so hashes and date shifts will not link across runs\n');
      }
      guardStdout(process.stdout);
      const stats = await runText({
        config,
        key: key.bytes,
        findings: Boolean(opts.findings),
        quote: Boolean(opts.quote),
        input,
        output: process.stdout,
        stderr: process.stderr,
        ...(run.dateShiftRangeDays !== undefined ? { dateShiftRangeDays: run.dateShiftRangeDays } : {}),
        ...(run.ageReferenceDate !== undefined ? { ageReferenceDate: run.ageReferenceDate } : {}),
      });
      setStatus?.(stats.failed > 0 ? ExitCode.RECORDS_FAILED : ExitCode.OK);
    });
}
