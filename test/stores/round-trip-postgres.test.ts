import path from 'node:path';
import t from 'tap';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { sharedData } from '../helpers/run-cli.js';
import { requirePostgres, uniqueTable } from '../helpers/services.js';
import { checksumTree } from '../helpers/store-items.js';
import { assertRoundTrip, roundTrip } from '../helpers/store-round-trip.js';

for (const name of ['bulk-synthea-30-patients', 'bulk-smart-10-patients']) {
  t.test(`${name}: file → postgres → file`, async (t) => {
    const url = await requirePostgres(t);
    if (!url) return;
    const dir = path.join(sharedData, 'fhir-samples', name);
    const before = checksumTree(dir);
    const store = await openFhirStore(`${url}?table=${uniqueTable(t, url)}`);
    t.teardown(() => store.close());
    const r = await roundTrip(dir, store, t);
    assertRoundTrip(t, r);
    t.same(checksumTree(dir), before, 'the source folder is untouched');
  });
}
