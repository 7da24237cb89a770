import { readFile } from 'node:fs/promises';
import t from 'tap';
import type { Failed } from '../../../src/core/record.js';
import { copyInstances } from '../../../src/stores/dicom/copy-instances.js';
import { openDicomStore } from '../../../src/stores/dicom/open-dicom-store.js';
import type { DicomStore } from '../../../src/stores/dicom/types.js';
import { samplePath } from '../../dicom/samples.js';
import { requireOrthanc } from '../../helpers/orthanc.js';
import { copySamples, oracleUids, tempDir, WELL_FORMED } from './fixtures.js';

const key = (r: { study: string; series: string; instance: string }) => `${r.study}/${r.series}/${r.instance}`;

async function run(s: DicomStore, filter: string[]): Promise<{ keys: string[]; failures: [string, string][] }> {
  const keys: string[] = [];
  const failures: Failed[] = [];
  for await (const r of s.list(filter, { onFailed: (f) => failures.push(f) })) keys.push(key(r));
  return { keys: keys.sort(), failures: failures.map((f) => [f.code, f.loc.file.replace(s.uri, '')]) };
}

t.test('filter lines select the same instances from a folder and from Orthanc', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const dir = await tempDir(t);
  await copySamples(dir, WELL_FORMED);
  const folder = openDicomStore(dir);
  const web = openDicomStore(orthanc.uri, { pageSize: 3 });
  t.teardown(() => web.close());
  t.equal((await copyInstances(folder, web)).written, WELL_FORMED.length);

  const u = await Promise.all(WELL_FORMED.map(async (n) => oracleUids(await readFile(samplePath(n)))));
  const [mr, be, , , jpeg, rle] = u as [typeof u[0], typeof u[0], typeof u[0], typeof u[0], typeof u[0], typeof u[0]];
  t.equal(jpeg.series, rle.series, 'the JPEG and RLE samples share a series');
  const cases: { name: string; filter: string[]; keys: string[]; failures?: [string, string][] }[] = [
    { name: 'a study', filter: [`/studies/${jpeg.study}`], keys: [key(jpeg), key(rle)] },
    { name: 'a series', filter: [`/studies/${jpeg.study}/series/${jpeg.series}`], keys: [key(jpeg), key(rle)] },
    { name: 'an instance', filter: [`/studies/${mr.study}/series/${mr.series}/instances/${mr.instance}`], keys: [key(mr)] },
    {
      name: 'overlapping lines list once',
      filter: [`/studies/${rle.study}/series/${rle.series}/instances/${rle.instance}`, `/studies/${jpeg.study}`, '', `/studies/${be.study}`],
      keys: [key(jpeg), key(rle), key(be)],
    },
    {
      name: 'lines with nothing behind them are reported',
      filter: [`/studies/${mr.study}`, '/studies/1.2.3.4', `/studies/${mr.study}/series/9.9`, `/studies/${be.study}/series/${be.series}/instances/7.7`],
      keys: [key(mr)],
      failures: [
        ['STORE_INSTANCE_NOT_FOUND', '/studies/1.2.3.4'],
        ['STORE_INSTANCE_NOT_FOUND', `/studies/${be.study}/series/${be.series}/instances/7.7`],
      ],
    },
  ];
  for (const c of cases) {
    const want = { keys: [...c.keys].sort(), failures: c.failures ?? [] };
    t.same(await run(folder, c.filter), want, `folder: ${c.name}`);
    t.same(await run(web, c.filter), want, `Orthanc: ${c.name}`);
  }
  // The series line of mr.study is covered by the study line: dropped, so not reported either.

  for (const s of [folder, web]) {
    const e = await run(s, ['/studies/1.2', '/studies/1.2/series/../../x']).catch((e) => e) as { code: string; message: string };
    t.equal(e.code, 'STORE_FILTER_INVALID', `${s.kind}: a bad line stops the listing before it starts`);
    t.match(e.message, /line 2/);
  }
});
