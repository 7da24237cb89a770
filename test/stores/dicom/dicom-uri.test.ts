import path from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { DicomStoreError } from '../../../src/stores/dicom/codes.js';
import { parseDicomStoreUri } from '../../../src/stores/dicom/dicom-uri.js';
import { openDicomStore } from '../../../src/stores/dicom/open-dicom-store.js';

t.test('folders: plain paths and file: URLs', async (t) => {
  t.same(parseDicomStoreUri('out/dicom'), { kind: 'folder', display: 'out/dicom', target: path.resolve('out/dicom') });
  const abs = path.resolve('some dir/x');
  const u = pathToFileURL(abs).href;
  t.same(parseDicomStoreUri(u), { kind: 'folder', display: u, target: abs });
  t.equal(openDicomStore('out/dicom').kind, 'folder');
});

t.test('DICOMweb: dicomweb+http(s) → http(s) base without trailing slash', async (t) => {
  t.same(parseDicomStoreUri('dicomweb+http://127.0.0.1:8042/dicom-web/'), {
    kind: 'dicomweb', display: 'dicomweb+http://127.0.0.1:8042/dicom-web', target: 'http://127.0.0.1:8042/dicom-web',
  });
  t.equal(parseDicomStoreUri('DICOMWEB+HTTPS://pacs.example/wado/rs').target, 'https://pacs.example/wado/rs');
  const s = openDicomStore('dicomweb+https://pacs.example/rs');
  t.equal(s.kind, 'dicomweb');
  t.equal(s.uri, 'dicomweb+https://pacs.example/rs');
});

t.test('refused URIs name the problem, never the credentials', async (t) => {
  const cases = [
    '',
    'dicomweb+http://user:s3cret@host/dicom-web',
    'dicomweb+http://host/dicom-web?token=s3cret',
    'http://host/dicom-web',
    'gs://bucket/dicom',
    'postgres://db/x',
    'dicomweb+http://[bad',
  ];
  for (const uri of cases) {
    const e = t.throws(() => openDicomStore(uri)) as DicomStoreError;
    t.equal(e.code, 'STORE_URI_INVALID', uri.slice(0, 30));
    t.notMatch(e.message, /s3cret/);
  }
});
