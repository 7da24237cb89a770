import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { runCli } from '../helpers/run-cli.js';
import { BULK, folderResources, tempDir } from '../cli/fhir-store-helpers.js';

const firstPatientId = (): string => (JSON.parse(fs.readFileSync(path.join(BULK, 'Patient.ndjson'), 'utf8').split('\n')[0]!) as { id: string }).id;

t.test('a second operation into an existing folder keeps the records it does not write (upsert by id)', async (t) => {
  const dest = path.join(tempDir(t), 'dest');
  const full = await runCli(['fhir-store', BULK, dest, '-q']);
  t.equal(full.code, 0, full.stderr);
  const before = folderResources(dest);
  t.equal(before.size, 10994);

  const one = await runCli(['fhir-store', BULK, dest, '--resources', `Patient/${firstPatientId()}`, '-q']);
  t.equal(one.code, 0, one.stderr);
  const after = folderResources(dest);
  t.equal(after.size, before.size, 'no Patient of the first operation is lost, none is duplicated');
  t.same([...after.keys()].sort(), [...before.keys()].sort());
  for (const [k, v] of before) if (after.get(k) !== v) t.fail(`${k} changed`);
  const manifest = JSON.parse(fs.readFileSync(path.join(dest, 'manifest.json'), 'utf8')) as { output: Array<{ type: string; count: number }> };
  t.equal(manifest.output.find((o) => o.type === 'Patient')?.count, 30, 'the manifest counts the merged file');
});
