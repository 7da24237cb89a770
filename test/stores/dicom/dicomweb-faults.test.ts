import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import type { Failed } from '../../../src/core/record.js';
import { copyInstances } from '../../../src/stores/dicom/copy-instances.js';
import { openDicomStore } from '../../../src/stores/dicom/open-dicom-store.js';
import type { DicomStore, InstanceRef, RetryInfo } from '../../../src/stores/dicom/types.js';
import { requireOrthanc } from '../../helpers/orthanc.js';
import { tempDir, withInstanceUid } from './fixtures.js';

const N = 10;
const KILL_AFTER = 4;
const RETRY = { attempts: 4, baseDelayMs: 50, maxDelayMs: 400 };

async function keys(s: DicomStore): Promise<string[]> {
  const out: string[] = [];
  for await (const r of s.list()) out.push(r.instance);
  return out.sort();
}

async function uniqueInstances(dir: string): Promise<string[]> {
  const uids: string[] = [];
  for (let i = 0; i < N; i++) {
    const uid = `2.25.${1000 + i}`;
    await writeFile(path.join(dir, `in-${String(i).padStart(2, '0')}.dcm`), await withInstanceUid('ts/MR_small.dcm', uid));
    uids.push(uid);
  }
  return uids;
}

t.test('Orthanc killed mid-run: writes retried with backoff, then STORE_UNAVAILABLE; nothing silently lost; resumed after restart', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const src = await tempDir(t);
  const uids = await uniqueInstances(src);
  const retries: (RetryInfo & { at: number })[] = [];
  const web = openDicomStore(orthanc.uri, { retry: RETRY, onAttemptFailed: (r) => retries.push({ ...r, at: Date.now() }) });
  t.teardown(() => web.close());

  const written: InstanceRef[] = [];
  const failures: Failed[] = [];
  let killing: Promise<void> | undefined;
  const stats = await copyInstances(openDicomStore(src), web, {
    onWritten: (_from, to) => {
      written.push(to);
      // Not awaited: the kill races with the next write, as a crash would.
      if (written.length === KILL_AFTER) killing = orthanc.kill();
    },
    onFailed: (f) => failures.push(f),
  });
  await killing;

  t.equal(stats.listed, N);
  t.equal(stats.written + stats.failed, N, 'written + failed = input');
  t.equal(written.length, stats.written);
  t.equal(failures.length, stats.failed);
  t.ok(stats.written >= KILL_AFTER && stats.failed >= N - KILL_AFTER - 1, `${stats.written} written, ${stats.failed} failed`);
  for (const f of failures) {
    t.equal(f.code, 'STORE_UNAVAILABLE', path.basename(f.loc.file));
    t.ok(f.loc.file.startsWith(src), 'the failure names its source file');
  }

  // Every failed write was tried RETRY.attempts times, waiting longer each time: its STOW, or
  // the search for its SOPInstanceUID that comes first when the server was already down.
  const stow = retries.filter((r) => r.method === 'POST' || r.path.startsWith('/instances?'));
  t.equal(stow.length, stats.failed * RETRY.attempts, 'one record per failed attempt');
  t.ok(stow.every((r) => r.reason === 'connection' && (r.path === '/studies' || /^\/instances\?SOPInstanceUID=2\.25\.\d+&/.test(r.path))), 'reason and path, no data');
  for (let i = 0; i + RETRY.attempts <= stow.length; i += RETRY.attempts) {
    for (let k = 1; k < RETRY.attempts; k++) {
      const min = RETRY.baseDelayMs * 2 ** (k - 1) * 0.8; // backoff with at most -20 % jitter
      t.ok(stow[i + k]!.at - stow[i + k - 1]!.at >= min - 5, `retry ${k} waited at least ${min} ms`);
    }
  }

  // The listing fails the same way while the server is down.
  const down = await keys(web).catch((e) => e) as { code: string; message: string };
  t.equal(down.code, 'STORE_UNAVAILABLE');
  t.match(down.message, /GET \/studies\?limit=\d+&offset=0 after 4 attempts \(last: connection\)/);

  await orthanc.restart();
  const stored = await keys(web);
  const confirmed = written.map((r) => r.instance).sort();
  t.ok(confirmed.every((u) => stored.includes(u)), 'every confirmed write survived the crash');
  t.ok(stored.every((u) => uids.includes(u)), 'nothing unexpected stored');

  // Resume: the failed inputs, by their source locations, written again.
  const again = openDicomStore(orthanc.uri, { retry: RETRY });
  t.teardown(() => again.close());
  for (const f of failures) await again.write(await readFile(f.loc.file));
  t.same(await keys(again), [...uids].sort(), 'after the resumed writes the store holds every input');
});

t.test('a write that starts while Orthanc is down finishes once it is back', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  await orthanc.kill();
  let restarting: Promise<void> | undefined;
  const retries: RetryInfo[] = [];
  const web = openDicomStore(orthanc.uri, {
    retry: { attempts: 30, baseDelayMs: 100, maxDelayMs: 1000 },
    onAttemptFailed: (r) => {
      retries.push(r);
      restarting ??= orthanc.restart();
    },
  });
  t.teardown(() => web.close());
  const ref = await web.write(await withInstanceUid('rt/rtplan.dcm', '2.25.777'));
  await restarting;
  t.ok(retries.length >= 1, `${retries.length} retries before the server answered`);
  t.equal(ref.instance, '2.25.777');
  t.same(await keys(web), ['2.25.777']);
});
