import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isDeepStrictEqual } from 'node:util';
import type { Test } from 'tap';
import type { Failed } from '../../src/core/record.js';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import type { FhirStore } from '../../src/stores/types.js';
import { byKey, collect, fails, oks } from './store-items.js';

type Json = Record<string, unknown>;

export interface RoundTrip {
  /** Source records read (ok) and unreadable (failed). */
  sourceOk: number;
  sourceFailed: number;
  /** Middle store writer. */
  written: number;
  writerFailed: Failed[];
  /** Output folder writer. */
  outWritten: number;
  outFailed: Failed[];
  source: Map<string, Json>;
  output: Map<string, Json>;
}

/** folder → middle store → new folder, the way a store-to-store job moves data. */
export async function roundTrip(sourceDir: string, middle: FhirStore, t: { teardown(fn: () => void): void }): Promise<RoundTrip> {
  const src = await openFhirStore(sourceDir);
  const sourceItems = await collect(src.reader());
  await middle.ensure();
  const writerFailed: Failed[] = [];
  const w = middle.writer({ onFailed: (f) => writerFailed.push(f) });
  await pipeline(src.reader(), w);

  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-rt-'));
  t.teardown(() => fs.rmSync(outDir, { recursive: true, force: true }));
  const out = await openFhirStore(outDir);
  const outFailed: Failed[] = [];
  const ow = out.writer({ onFailed: (f) => outFailed.push(f) });
  await pipeline(middle.reader(), ow);
  const outputItems = await collect(out.reader());
  if (fails(outputItems).length > 0) throw new Error('output folder has unreadable records');
  return {
    sourceOk: oks(sourceItems).length,
    sourceFailed: fails(sourceItems).length,
    written: w.written,
    writerFailed,
    outWritten: ow.written,
    outFailed,
    source: byKey(oks(sourceItems)),
    output: byKey(oks(outputItems)),
  };
}

/**
 * What every store round trip must show: each readable source resource stored and read back
 * equal (after `normalise`, for what a server adds itself), unreadable lines forwarded, not stored.
 */
export function assertRoundTrip(t: Test, r: RoundTrip, normalise: (resource: Json) => Json = (x) => x): void {
  t.ok(r.sourceOk > 1000, `${r.sourceOk} resources`);
  t.equal(r.written, r.sourceOk, 'every resource stored');
  t.equal(r.writerFailed.length, r.sourceFailed, 'unreadable source lines forwarded, not stored');
  t.equal(r.written + r.writerFailed.length, r.sourceOk + r.sourceFailed, 'written + failed = input');
  t.same(r.outFailed, []);
  t.equal(r.outWritten, r.sourceOk);
  t.equal(r.output.size, r.source.size);
  const differ = [...r.source].filter(([k, v]) => !isDeepStrictEqual(normalise(r.output.get(k) ?? {}), normalise(v))).map(([k]) => k);
  t.same(differ, [], 'every resource reads back equal as JSON');
}
