import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Test } from 'tap';
import { parseNdjson, runCli } from './run-cli.js';

type Json = Record<string, any>;

export interface FhirCliRun {
  code: number | null;
  stderr: string;
  /** The output records. */
  out: Json[];
  report: Json;
  /** Every byte the run wrote, by where: the records, the report, the error log, stderr. */
  written: [string, string][];
}

/** `deid fhir` on `records` written as NDJSON, with a report and an error log, in a temporary folder. */
export async function runFhirOnRecords(t: Test, records: Json[], args: string[] = []): Promise<FhirCliRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-fhir-run-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const input = path.join(dir, 'in.ndjson');
  fs.writeFileSync(input, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const report = path.join(dir, 'report.json');
  const errors = path.join(dir, 'errors.ndjson');
  const r = await runCli(['fhir', input, '--report', report, '--errors', errors, ...args]);
  const reportText = fs.existsSync(report) ? fs.readFileSync(report, 'utf8') : '';
  return {
    code: r.code,
    stderr: r.stderr,
    out: parseNdjson(r.stdout) as Json[],
    report: reportText ? (JSON.parse(reportText) as Json) : {},
    written: [
      ['output', r.stdout.toString('utf8')],
      ['report', reportText],
      ['errors', fs.existsSync(errors) ? fs.readFileSync(errors, 'utf8') : ''],
      ['stderr', r.stderr],
    ],
  };
}

/** No byte the run wrote matches `phi`. */
export function expectNowhere(t: Test, run: FhirCliRun, phi: RegExp, what: string): void {
  for (const [where, text] of run.written) t.notMatch(text, phi, `${where}: ${what}`);
}
