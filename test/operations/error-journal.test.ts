import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { failed } from '../../src/core/record.js';
import { ErrorJournal } from '../../src/operations/error-journal.js';
import { tempDir } from '../cli/fhir-store-helpers.js';

t.test('lines carry store, unit, location and code; prune keeps the finished units only', async (t) => {
  const file = path.join(tempDir(t), 'e.ndjson');
  const j = new ErrorJournal(file);
  j.add('default', 'Patient.ndjson', failed('INVALID_JSON', 'Record is not valid JSON', { file: '/src/Patient.ndjson', line: 3, offset: 120 }));
  j.add('default', 'Observation.ndjson', failed('STORE_UNAVAILABLE', 'Store could not be reached after retries', { file: '/src/Observation.ndjson', line: 9 }, 'Observation'));
  j.add('fhir/b', 'Observation', failed('STORE_REJECTED', 'x'.repeat(1000), { file: 'postgres://h/db#Observation/o1' }, 'Observation'));
  j.flush();
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  t.same(lines[0], { store: 'default', unit: 'Patient.ndjson', file: '/src/Patient.ndjson', line: 3, offset: 120, code: 'INVALID_JSON', reason: 'Record is not valid JSON' });
  t.equal((lines[2]!.reason as string).length, 200, 'reasons are bounded');
  t.same(j.counts, { INVALID_JSON: 1, STORE_UNAVAILABLE: 1, STORE_REJECTED: 1 });
  // a kill can cut the last line
  fs.appendFileSync(file, '{"store":"default","unit":"Patient.nd');
  const counts = ErrorJournal.prune(file, (store, unit) => store === 'default' && unit === 'Patient.ndjson');
  t.same(counts, { INVALID_JSON: 1 });
  t.equal(fs.readFileSync(file, 'utf8').trim().split('\n').length, 1);
  t.same(ErrorJournal.prune(path.join(path.dirname(file), 'absent'), () => true), {}, 'no log yet: nothing to prune');
});
