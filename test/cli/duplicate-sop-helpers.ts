import fs from 'node:fs';
import path from 'node:path';
import type { Test } from 'tap';
import type { CliResult } from '../helpers/run-cli.js';
import { makeStudies, testUid } from './dataset-dicom-helpers.js';
import { readRecord } from './fhir-store-helpers.js';

export const idOf = (stderr: string): string => /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr)![1]!;

/**
 * Two studies of two instances each under `src` (sNN/iNN.dcm), made from
 * `sample`: s00/i00 and s01/i00 share a SOPInstanceUID, every other UID is
 * distinct. Returns the number of the study an operation does second (studies
 * go in StudyInstanceUID order): its i00 is the one a destination refuses.
 */
export function sharedSopStudies(sample: string, src: string): number {
  makeStudies(sample, src, 2, 2, (s, i) => (i === 0 ? 'shared' : `${s}:${i}`));
  return testUid('0:study') < testUid('1:study') ? 1 : 0;
}

/** The operation `r` stored 3 instances and refused `refused` as DICOM_DUPLICATE_SOP, with no source UID in its log. */
export function expectOneDuplicateSop(t: Test, ops: string, r: CliResult, refused: string | RegExp): void {
  t.equal(r.code, 3, r.stderr);
  const rec = readRecord(ops, idOf(r.stderr));
  t.same(rec.counters, { success: 3, failure: 1, pending: 0 }, 'in = out + failed');
  t.same(rec.errors, { DICOM_DUPLICATE_SOP: 1 });
  const lines = fs.readFileSync(rec.errorLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  t.equal(lines.length, 1);
  t.match(lines[0], { code: 'DICOM_DUPLICATE_SOP', file: refused }, "the later study's instance is the one refused");
  t.notMatch(JSON.stringify(lines), new RegExp(testUid('shared:sop').replace(/\./g, '\\.')), 'the source UID is not in the log');
}

export function laterInstance(src: string, second: number): string {
  return path.join(src, `s${String(second).padStart(2, '0')}`, 'i00.dcm');
}
