import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { isOperationId, newOperationId } from '../../src/operations/operation-id.js';
import { loadOperation, operationFile, OperationJournal, saveOperation } from '../../src/operations/operation-file.js';
import { zero, type OperationRecord } from '../../src/operations/operation-record.js';
import { tempDir } from '../cli/fhir-store-helpers.js';

function record(id: string): OperationRecord {
  const now = new Date().toISOString();
  return { id, command: 'fhir-store', status: 'running', configDigest: 'd', keyCheck: 'k', keySource: 'env', startTime: now, updateTime: now, source: 's', destination: 'd', options: {}, errorLog: 'e', counters: zero(), errors: {}, stores: {} };
}

t.test('ids sort by time, are unique, and nothing else is accepted as one', async (t) => {
  const ids = new Set(Array.from({ length: 500 }, () => newOperationId(new Date('2026-01-02T03:04:05.678Z'))));
  t.equal(ids.size, 500, 'unique within the same millisecond');
  for (const id of ids) t.match(id, /^20260102T030405Z-[0-9a-f]{8}$/);
  t.ok(newOperationId(new Date('2026-01-01T00:00:00Z')) < newOperationId(new Date('2027-01-01T00:00:00Z')));
  for (const bad of ['', '../x', '20260102T030405Z-0000000g', '20260102T030405Z-00000000/..', '20260102T030405Z-00000000.json', 'a'.repeat(10_000)]) {
    t.notOk(isOperationId(bad), JSON.stringify(bad.slice(0, 40)));
    t.throws(() => operationFile('/tmp', bad), { code: 'USAGE' });
  }
});

t.test('records are written whole: temp file + rename, readable back, no temp left', async (t) => {
  const dir = path.join(tempDir(t), 'ops');
  const id = newOperationId();
  const rec = record(id);
  saveOperation(dir, rec);
  t.same(loadOperation(dir, id), rec);
  t.same(fs.readdirSync(dir), [`${id}.json`], 'no temporary file remains');
  fs.writeFileSync(path.join(dir, `${id}.json`), '{"id": "trunc');
  t.throws(() => loadOperation(dir, id), { code: 'READ_FAILED' }, 'a damaged record is reported, not trusted');
  fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(record(newOperationId())));
  t.throws(() => loadOperation(dir, id), { code: 'READ_FAILED' }, 'a record under another id is refused');
  t.throws(() => loadOperation(dir, newOperationId()), { code: 'INPUT_NOT_FOUND' });
  const file = path.join(tempDir(t), 'plain-file');
  fs.writeFileSync(file, '');
  t.throws(() => saveOperation(file, record(newOperationId())), { code: 'WRITE_FAILED' }, 'a folder that cannot be made');
});

t.test('the journal saves at most once per interval, and at once when asked', async (t) => {
  const dir = path.join(tempDir(t), 'ops');
  const rec = record(newOperationId());
  let prepared = 0;
  const j = new OperationJournal(dir, rec, () => void prepared++, 1000);
  j.save(10_000);
  rec.counters.success = 5;
  j.tick(10_500);
  t.equal(loadOperation(dir, rec.id).counters.success, 0, 'not within the interval');
  j.tick(11_001);
  t.equal(loadOperation(dir, rec.id).counters.success, 5, 'after the interval');
  rec.counters.success = 6;
  j.save(11_002);
  t.equal(loadOperation(dir, rec.id).counters.success, 6, 'save() does not wait');
  t.equal(prepared, 3, 'counters are brought up to date before each save');
  t.equal(loadOperation(dir, rec.id).updateTime, new Date(11_002).toISOString());
});
