import { readFile, readdir, symlink, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import { ErrorCodes } from '../../../src/core/errors.js';
import type { Failed } from '../../../src/core/record.js';
import { replace } from '../../../src/dicom/index.js';
import { FolderDicomStore } from '../../../src/stores/dicom/folder-store.js';
import { openDicomStore } from '../../../src/stores/dicom/open-dicom-store.js';
import type { InstanceRef } from '../../../src/stores/dicom/types.js';
import { samplePath } from '../../dicom/samples.js';
import { copySamples, edited, oracleUids, readAll, tempDir, WELL_FORMED } from './fixtures.js';

async function listAll(s: ReturnType<typeof openDicomStore>, filter?: string[]): Promise<{ refs: InstanceRef[]; failures: Failed[] }> {
  const refs: InstanceRef[] = [];
  const failures: Failed[] = [];
  for await (const r of s.list(filter, { onFailed: (f) => failures.push(f) })) refs.push(r);
  return { refs, failures };
}

t.test('list walks any layout and reads each instance\'s UIDs; bad files are reported, not skipped', async (t) => {
  const dir = await tempDir(t);
  const bad = ['edge-cases/MR_truncated.dcm', 'edge-cases/no_meta.dcm'];
  await copySamples(dir, [...WELL_FORMED, ...bad]);
  await writeFile(path.join(dir, 'notes.txt'), 'not dicom');
  await writeFile(path.join(dir, '.deid-tmp-1-abc.dcm'), 'a temporary file of an unfinished write');
  await writeFile(path.join(dir, 'DICOMDIR'), 'index');
  const store = openDicomStore(dir);
  const { refs, failures } = await listAll(store);
  // MR_truncated is cut inside PixelData: its header lists; reading it whole (a write) refuses it.
  t.equal(refs.length, WELL_FORMED.length + 1, 'every file with a readable header');
  for (const r of refs.filter((r) => !r.location.endsWith('MR_truncated.dcm'))) {
    const want = oracleUids(await readFile(r.location));
    t.same({ study: r.study, series: r.series, instance: r.instance }, want, path.relative(dir, r.location));
    t.ok(r.location.startsWith(dir + path.sep));
  }
  t.same(refs.map((r) => r.location), [...refs.map((r) => r.location)].sort(), 'deterministic (sorted) order');
  t.same(failures.map((f) => [path.relative(dir, f.loc.file), f.code]).sort(), [
    ['edge-cases/no_meta.dcm', 'DICOM_MALFORMED'],
    ['notes.txt', 'DICOM_MALFORMED'],
  ]);
  for (const f of failures) t.equal(f.reason, ErrorCodes[f.code as keyof typeof ErrorCodes], `the reason of ${f.code} is its code's`);
  const e = await (async () => {
    for await (const _ of store.list()) void _;
  })().catch((e: unknown) => e) as { code?: string };
  t.equal(e.code, 'STORE_READ_FAILED', 'without onFailed the first bad file is thrown, not skipped');
});

t.test('write stores <Study>/<Series>/<SOP>.dcm atomically and read gives the bytes back', async (t) => {
  const dir = await tempDir(t);
  const store = openDicomStore(path.join(dir, 'out'));
  for (const name of WELL_FORMED) {
    const bytes = await readFile(samplePath(name));
    const u = oracleUids(bytes);
    const ref = await store.write(name.endsWith('rtplan.dcm') ? bytes : Readable.from([bytes.subarray(0, 100), bytes.subarray(100)]));
    t.equal(ref.location, path.join(dir, 'out', u.study, u.series, `${u.instance}.dcm`), name);
    t.ok((await readAll(await store.read(ref))).equals(bytes), `${name}: same bytes`);
    t.ok((await readAll(await store.read({ ...u, location: '/etc/passwd' }))).equals(bytes), 'a location outside the store is not used');
  }
  const again = await store.write(await readFile(samplePath(WELL_FORMED[0])));
  t.ok(again.location.endsWith('.dcm'), 'writing the same instance again replaces it');
  const { refs, failures } = await listAll(store);
  t.equal(refs.length, WELL_FORMED.length);
  t.equal(failures.length, 0);
  const missing = await store.read({ study: '1.2', series: '3.4', instance: '5.6', location: '' }).catch((e) => e) as { code: string };
  t.equal(missing.code, 'STORE_INSTANCE_NOT_FOUND');
});

t.test('a bad instance is not stored and leaves no file behind', async (t) => {
  const dir = await tempDir(t);
  const store = new FolderDicomStore(dir, dir);
  const good = await readFile(samplePath(WELL_FORMED[0]));
  const traversal = await edited(WELL_FORMED[0], (el, p) => (p.length === 0 && el.tag === 0x0020000d ? replace('../../escaped') : 'keep'));
  const cases: [string, Buffer | Readable, string][] = [
    ['truncated', good.subarray(0, good.length - 10), 'DICOM_TRUNCATED'],
    ['path traversal in StudyInstanceUID', traversal, 'STORE_UID_INVALID'],
    ['not DICOM', Buffer.from('hello'), 'DICOM_TRUNCATED'],
    ['source fails midway', new Readable({ read() { this.push(good.subarray(0, 200)); this.destroy(new Error('boom')); } }), 'STORE_READ_FAILED'],
  ];
  for (const [name, input, code] of cases) {
    const e = await store.write(input).catch((e) => e) as { code: string };
    t.equal(e.code, code, name);
  }
  t.same(await readdir(dir), [], 'no temporary file, no folder, nothing escaped');
  t.same(await readdir(path.dirname(dir)).then((l) => l.filter((n) => n === 'escaped')), []);
});

t.test('a folder that cannot be written gives STORE_WRITE_FAILED', async (t) => {
  const dir = await tempDir(t);
  await writeFile(path.join(dir, 'file'), 'x');
  const store = openDicomStore(path.join(dir, 'file', 'sub'));
  const e = await store.write(await readFile(samplePath(WELL_FORMED[0]))).catch((e) => e) as { code: string };
  t.equal(e.code, 'STORE_WRITE_FAILED');
});

t.test('symbolic links: files followed, folders reported (no loops)', async (t) => {
  const dir = await tempDir(t);
  await copySamples(dir, [WELL_FORMED[0]]);
  await mkdir(path.join(dir, 'links'));
  await symlink(path.join(dir, WELL_FORMED[0]), path.join(dir, 'links', 'a.dcm'));
  await symlink(dir, path.join(dir, 'links', 'loop'));
  const { refs, failures } = await listAll(openDicomStore(dir));
  t.equal(refs.length, 2);
  t.same(failures.map((f) => [path.relative(dir, f.loc.file), f.code]), [['links/loop', 'STORE_READ_FAILED']]);
});
