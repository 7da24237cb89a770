import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { sharedData } from '../helpers/run-cli.js';
import { requirePostgres, uniqueTable } from '../helpers/services.js';
import { checksumTree } from '../helpers/store-items.js';
import { roundTrip } from '../helpers/store-round-trip.js';

for (const name of ['bulk-synthea-30-patients', 'bulk-smart-10-patients']) {
  t.test(`${name}: file → postgres → file`, async (t) => {
    const url = await requirePostgres(t);
    if (!url) return;
    const dir = path.join(sharedData, 'fhir-samples', name);
    const before = checksumTree(dir);
    const store = await openFhirStore(`${url}?table=${uniqueTable(t, url)}`);
    t.teardown(() => store.close());
    const r = await roundTrip(dir, store, t);
    t.ok(r.sourceOk > 1000, `${r.sourceOk} resources`);
    t.equal(r.written, r.sourceOk, 'every resource stored');
    t.equal(r.writerFailed.length, r.sourceFailed, 'unreadable source lines forwarded, not stored');
    t.equal(r.written + r.writerFailed.length, r.sourceOk + r.sourceFailed, 'written + failed = input');
    t.same(r.outFailed, []);
    t.equal(r.outWritten, r.sourceOk);
    t.equal(r.output.size, r.source.size);
    const differ = [...r.source].filter(([k, v]) => !isDeepStrictEqual(r.output.get(k), v)).map(([k]) => k);
    t.same(differ, [], 'every resource reads back equal as JSON');
    t.same(checksumTree(dir), before, 'the source folder is untouched');
  });
}
