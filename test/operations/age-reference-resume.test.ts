import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { loadKey } from '../../src/core/key.js';
import { runOperation } from '../../src/operations/run-operation.js';
import { operationFile } from '../../src/operations/operation-file.js';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { DEFAULT_CONFIG } from '../../src/config/load-config.js';
import { DEFAULT_FHIR_PLAN } from '../../src/fhir/make-env.js';
import { KEY_A } from '../helpers/run-cli.js';
import { BULK, folderResources, tempDir } from '../cli/fhir-store-helpers.js';

// An operation records the day birth dates were read against (Safe Harbor's "90 or older"
// category), and a resume on a later day reads the units it redoes against that day.
const key = loadKey({ env: { DEID_KEY: KEY_A } });
const quiet = { update: () => undefined, stop: () => undefined };
const configOn = (day: string) => ({ ...structuredClone(DEFAULT_CONFIG), fhir: { ...DEFAULT_FHIR_PLAN, ageReferenceDate: day } });

function birthDates(dir: string): string[] {
  return [...folderResources(dir)].filter(([k]) => k.startsWith('Patient/')).map(([, v]) => (JSON.parse(v) as { birthDate: string }).birthDate).sort();
}

t.test('a resumed operation redoes its units against the day it started with', async (t) => {
  const dir = tempDir(t);
  const dest = path.join(dir, 'dest');
  const opDir = path.join(dest, '.ops');
  const pair = async () => ({ name: 'default', source: await openFhirStore(BULK), destination: await openFhirStore(dest) });
  const first = await runOperation({ command: 'fhir-store', source: BULK, destination: dest, operationDir: opDir, pairs: [await pair()], config: configOn('2016-01-01'), key, progress: quiet });
  t.equal(first.exitStatus, 0);
  t.equal(first.record.ageReferenceDate, '2016-01-01', 'the record names the day');
  const before = birthDates(dest);
  t.ok(before.includes('1926'), 'patients over 89 in 2016 have its category');
  t.notOk(before.includes('1936'));

  // the operation as if it had been cut before any unit was done: a resume redoes them all
  const file = operationFile(opDir, first.record.id);
  const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, any>;
  rec.status = 'cancelled';
  rec.stores = {};
  fs.writeFileSync(file, JSON.stringify(rec));
  for (const f of fs.readdirSync(dest).filter((n) => n.endsWith('.ndjson'))) fs.rmSync(path.join(dest, f));

  const resumed = await runOperation({ command: 'fhir-store', source: BULK, destination: dest, operationDir: opDir, pairs: [await pair()], config: configOn('2026-12-07'), key, progress: quiet, resume: first.record.id });
  t.equal(resumed.exitStatus, 0);
  t.equal(resumed.record.ageReferenceDate, '2016-01-01');
  t.same(birthDates(dest), before, 'the same birth dates as the first run wrote');
});
