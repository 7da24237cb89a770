import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { BulkFolderWriter } from '../../src/sinks/bulk-folder-writer.js';
import { openInputs } from '../../src/sources/open-inputs.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(repoRoot, '../shared/data/fhir-samples');
const bundlesDir = path.join(samples, 'synthea-transaction-bundles');

t.test('unbundled: each entry resource goes to its type file, no Bundle.ndjson', async (t) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-unbundle-'));
  t.teardown(() => fs.rmSync(out, { recursive: true, force: true }));
  const files = fs.readdirSync(bundlesDir).sort().map((n) => path.join(bundlesDir, n));
  await pipeline(openInputs(files), new BulkFolderWriter({ dir: out, unbundle: true, transactionTime: '2026-01-01T00:00:00Z' }));

  // expected: the entries' resources grouped by type, in input order
  const byType = new Map<string, string[]>();
  for (const f of files) {
    for (const e of JSON.parse(fs.readFileSync(f, 'utf8')).entry as Array<{ resource: { resourceType: string } }>) {
      const list = byType.get(e.resource.resourceType) ?? [];
      list.push(JSON.stringify(e.resource));
      byType.set(e.resource.resourceType, list);
    }
  }
  const types = [...byType.keys()].sort();
  t.ok(types.length >= 8, `${types.length} resource types`);
  t.same(fs.readdirSync(out).sort(), [...types.map((x) => `${x}.ndjson`), 'manifest.json'].sort());
  for (const type of types) {
    const lines = fs.readFileSync(path.join(out, `${type}.ndjson`), 'utf8').split('\n').filter(Boolean);
    t.strictSame(lines, byType.get(type), type);
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  t.strictSame(
    manifest.output,
    types.map((type) => ({ type, url: `${type}.ndjson`, count: byType.get(type)!.length })),
  );
  t.equal(
    manifest.output.reduce((s: number, o: { count: number }) => s + o.count, 0),
    28 + 217 + 290,
  );
});
