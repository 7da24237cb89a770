import path from 'node:path';
import t from 'tap';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { startFhirServer } from '../helpers/fhir-server.js';
import { sharedData } from '../helpers/run-cli.js';
import { checksumTree, withoutServerMeta } from '../helpers/store-items.js';
import { assertRoundTrip, roundTrip } from '../helpers/store-round-trip.js';

for (const name of ['bulk-synthea-30-patients', 'bulk-smart-10-patients']) {
  t.test(`${name}: file → FHIR server → file`, async (t) => {
    const dir = path.join(sharedData, 'fhir-samples', name);
    const before = checksumTree(dir);
    const server = await startFhirServer();
    t.teardown(() => server.close());
    const store = await openFhirStore(server.base);
    const r = await roundTrip(dir, store, t);
    // the server sets meta.versionId / lastUpdated: compare without those (meta.profile must survive)
    assertRoundTrip(t, r, withoutServerMeta);
    t.same(checksumTree(dir), before, 'the source folder is untouched');
  });
}
