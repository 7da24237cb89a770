import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import type { Failed } from '../../../src/core/record.js';
import { copyInstances } from '../../../src/stores/dicom/copy-instances.js';
import { openDicomStore } from '../../../src/stores/dicom/open-dicom-store.js';
import { scanUids } from '../../../src/stores/dicom/header-uids.js';
import type { DicomStore, InstanceRef } from '../../../src/stores/dicom/types.js';
import { samplePath } from '../../dicom/samples.js';
import { requireOrthanc } from '../../helpers/orthanc.js';
import { copySamples, oracleUids, readAll, tempDir, WELL_FORMED } from './fixtures.js';

async function listAll(s: DicomStore, filter?: string[]): Promise<InstanceRef[]> {
  const out: InstanceRef[] = [];
  for await (const r of s.list(filter)) out.push(r);
  return out;
}
const key = (r: { study: string; series: string; instance: string }) => `${r.study}/${r.series}/${r.instance}`;

t.test('folder → Orthanc (STOW) → list (QIDO) → read (WADO): same bytes, same UIDs', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const src = await tempDir(t);
  await copySamples(src, WELL_FORMED);
  const folder = openDicomStore(src);
  // A small page size makes QIDO paging run on every level.
  const web = openDicomStore(orthanc.uri, { pageSize: 2 });
  t.teardown(() => web.close());
  await web.ensure();

  const failures: Failed[] = [];
  const stats = await copyInstances(folder, web, { onFailed: (f) => failures.push(f) });
  t.same(stats, { listed: WELL_FORMED.length, written: WELL_FORMED.length, failed: 0 });
  t.same(failures, []);

  const listed = await listAll(web);
  const want = await Promise.all(WELL_FORMED.map(async (n) => oracleUids(await readFile(samplePath(n)))));
  t.same(listed.map(key).sort(), want.map(key).sort(), 'QIDO lists exactly what was stored');
  t.equal(new Set(listed.map((r) => r.study)).size, 6, 'two samples share a study');

  for (const ref of listed) {
    t.equal(ref.location, `${orthanc.http}/dicom-web/studies/${ref.study}/series/${ref.series}/instances/${ref.instance}`);
    const bytes = await readAll(await web.read(ref));
    t.same(oracleUids(bytes), { study: ref.study, series: ref.series, instance: ref.instance }, 'WADO bytes parse with the oracle');
    t.same(await scanUids(Readable.from([bytes]), { whole: true }), { study: ref.study, series: ref.series, instance: ref.instance }, 'and whole with our tokenizer');
    const name = WELL_FORMED[want.findIndex((w) => key(w) === key(ref))]!;
    t.ok(bytes.equals(await readFile(samplePath(name))), `${name}: byte for byte (transfer-syntax=*)`);
  }
});

t.test('Orthanc → folder keeps every instance in the UID layout', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const web = openDicomStore(orthanc.uri);
  t.teardown(() => web.close());
  for (const n of WELL_FORMED) await web.write(await readFile(samplePath(n)));
  const out = await tempDir(t);
  const folder = openDicomStore(path.join(out, 'copy'));
  const seen: [InstanceRef, InstanceRef][] = [];
  const stats = await copyInstances(web, folder, { onWritten: (a, b) => seen.push([a, b]) });
  t.same(stats, { listed: WELL_FORMED.length, written: WELL_FORMED.length, failed: 0 });
  for (const [from, to] of seen) {
    t.equal(to.location, path.join(out, 'copy', from.study, from.series, `${from.instance}.dcm`));
    t.same(oracleUids(await readFile(to.location)), { study: from.study, series: from.series, instance: from.instance });
  }
  const back = await listAll(folder);
  t.same(back.map(key).sort(), seen.map(([a]) => key(a)).sort(), 'the folder lists the same instances');
});

t.test('reading what is not there, writing what is not DICOM', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const web = openDicomStore(orthanc.uri, { retry: { attempts: 1 } });
  t.teardown(() => web.close());
  const missing = await web.read({ study: '1.2.3', series: '4.5', instance: '6.7', location: '' }).catch((e) => e) as { code: string };
  t.equal(missing.code, 'STORE_INSTANCE_NOT_FOUND');
  const hostile = await web.read({ study: '1.2.3/../../../system', series: '4.5', instance: '6.7', location: '' }).catch((e) => e) as { code: string };
  t.equal(hostile.code, 'STORE_UID_INVALID', 'a hostile ref never becomes a URL');
  const bad = await readFile(samplePath('edge-cases/MR_truncated.dcm'));
  const e = await web.write(bad).catch((e) => e) as { code: string };
  t.equal(e.code, 'DICOM_TRUNCATED', 'checked whole before sending');
  t.same(await listAll(web), [], 'nothing was stored');
});
