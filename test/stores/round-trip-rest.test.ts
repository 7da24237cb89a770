import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { startFhirServer } from '../helpers/fhir-server.js';
import { sharedData } from '../helpers/run-cli.js';
import { checksumTree, withoutServerMeta } from '../helpers/store-items.js';
import { roundTrip } from '../helpers/store-round-trip.js';

for (const name of ['bulk-synthea-30-patients', 'bulk-smart-10-patients']) {
  t.test(`${name}: file → FHIR server → file`, async (t) => {
    const dir = path.join(sharedData, 'fhir-samples', name);
    const before = checksumTree(dir);
    const server = await startFhirServer();
    t.teardown(() => server.close());
    const store = await openFhirStore(server.base);
    const r = await roundTrip(dir, store, t);
    t.ok(r.sourceOk > 1000, `${r.sourceOk} resources`);
    t.equal(r.written, r.sourceOk, 'every resource stored');
    t.equal(r.writerFailed.length, r.sourceFailed, 'unreadable source lines forwarded, not stored');
    t.equal(r.written + r.writerFailed.length, r.sourceOk + r.sourceFailed, 'written + failed = input');
    t.same(r.outFailed, []);
    t.equal(r.outWritten, r.sourceOk);
    t.equal(r.output.size, r.source.size);
    // the server sets meta.versionId / lastUpdated: compare without those (meta.profile must survive)
    const differ = [...r.source].filter(([k, v]) => !isDeepStrictEqual(withoutServerMeta(r.output.get(k) ?? {}), withoutServerMeta(v))).map(([k]) => k);
    t.same(differ, [], 'every resource reads back equal as JSON');
    t.same(checksumTree(dir), before, 'the source folder is untouched');
  });
}
