import path from 'node:path';
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { copyInstances } from '../../../src/stores/dicom/copy-instances.js';
import { openDicomStore } from '../../../src/stores/dicom/open-dicom-store.js';
import { requireOrthanc } from '../../helpers/orthanc.js';
import { copySamples, readAll, snapshot, tempDir, WELL_FORMED } from './fixtures.js';

t.test('listing, reading and copying never modify the source folder', async (t) => {
  const src = await tempDir(t);
  const bad = ['edge-cases/MR_truncated.dcm', 'edge-cases/no_meta.dcm', 'edge-cases/rtplan_truncated.dcm'];
  await copySamples(src, [...WELL_FORMED, ...bad]);
  const before = await snapshot(src);
  const folder = openDicomStore(src);

  for await (const ref of folder.list(undefined, { onFailed: () => undefined })) await readAll(await folder.read(ref));
  const out = await tempDir(t);
  const toFolder = await copyInstances(folder, openDicomStore(path.join(out, 'copy')), { onFailed: () => undefined });
  // The two truncated files list (their headers are whole) and then fail to store; no_meta does not list.
  t.same(toFolder, { listed: WELL_FORMED.length + 2, written: WELL_FORMED.length, failed: 3 });
  t.equal(toFolder.written + toFolder.failed, WELL_FORMED.length + bad.length, 'every input is written or failed');

  const orthanc = await requireOrthanc(t);
  if (orthanc) {
    const web = openDicomStore(orthanc.uri);
    t.teardown(() => web.close());
    const toWeb = await copyInstances(folder, web, { onFailed: () => undefined });
    t.same(toWeb, toFolder, 'the same counts against Orthanc');
    // and back again into a fresh folder, with the source still untouched
    await copyInstances(web, openDicomStore(path.join(out, 'back')));
  }
  // Writing an instance that was read from the source is also a read only.
  const scratch = openDicomStore(path.join(out, 'scratch'));
  await scratch.write(await readFile(path.join(src, WELL_FORMED[0])));

  const after = await snapshot(src);
  t.same([...after.entries()], [...before.entries()], 'same files, same sha256, same mtimes and modes');
});
