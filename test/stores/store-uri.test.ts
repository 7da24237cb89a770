import path from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { StoreError } from '../../src/stores/codes.js';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { parseStoreUri } from '../../src/stores/store-uri.js';

t.test('plain paths and file: URLs are folder stores', async (t) => {
  const p = parseStoreUri('out/store');
  t.equal(p.kind, 'file');
  t.equal(p.target, path.resolve('out/store'));
  const abs = path.resolve('some dir/x');
  const f = parseStoreUri(pathToFileURL(abs).href);
  t.equal(f.kind, 'file');
  t.equal(f.target, abs);
  t.equal(parseStoreUri('C:/data/out').kind, 'file', 'a drive letter is not a scheme');
});

t.test('postgres URIs keep table and schema, never the password', async (t) => {
  for (const scheme of ['postgres', 'postgresql']) {
    const p = parseStoreUri(`${scheme}://alice:s3cret@db.example:5433/clinic?table=deid_out&schema=s1&sslmode=disable`);
    t.equal(p.kind, 'postgres');
    t.notMatch(p.display, /s3cret/);
    t.notMatch(p.display, /sslmode/);
    t.match(p.display, /alice@db\.example:5433\/clinic\?/);
    t.match(p.display, /table=deid_out/);
    t.match(p.target, /s3cret/, 'the connection itself still has it');
  }
});

t.test('REST base URLs: trailing slash dropped, credentials refused', async (t) => {
  const p = parseStoreUri('https://fhir.example/r4/');
  t.equal(p.kind, 'rest');
  t.equal(p.target, 'https://fhir.example/r4');
  t.throws(() => parseStoreUri('https://u:p@fhir.example/r4'), { code: 'STORE_URI_INVALID' });
});

t.test('bad URIs are STORE_URI_INVALID', async (t) => {
  for (const bad of ['', 'ftp://x/y', 'mongodb://h/db', 'http://[bad']) {
    t.throws(() => parseStoreUri(bad), StoreError, JSON.stringify(bad));
  }
  for (const table of ['a-b', 'x;drop table y', '"q"', '1abc', 'a'.repeat(64)]) {
    await t.rejects(openFhirStore(`postgres://u@127.0.0.1/test?table=${encodeURIComponent(table)}`), { code: 'STORE_URI_INVALID' }, table);
  }
  await t.rejects(openFhirStore('postgres://u@127.0.0.1/test?schema=a.b'), { code: 'STORE_URI_INVALID' });
});

t.test('openFhirStore dispatches on the scheme', async (t) => {
  t.equal((await openFhirStore('rel/folder')).kind, 'file');
  t.equal((await openFhirStore('http://127.0.0.1:1/fhir')).kind, 'rest');
  const pg = await openFhirStore('postgres://u:pw@127.0.0.1:1/test?table=x');
  t.equal(pg.kind, 'postgres');
  t.notMatch(pg.uri, /pw/);
  await pg.close();
});
