import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Failed } from '../../src/core/record.js';
import { NdjsonWriter } from '../../src/sinks/ndjson-writer.js';
import { openInputs } from '../../src/sources/open-inputs.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(repoRoot, '../shared/data/fhir-samples');
const syntheaDir = path.join(samples, 'synthea-transaction-bundles');

async function unbundled(src: Readable): Promise<{ lines: string[]; failed: Failed[] }> {
  const failed: Failed[] = [];
  const chunks: Buffer[] = [];
  await pipeline(
    src,
    new NdjsonWriter({ unbundle: true, onFailed: (f) => failed.push(f) }),
    new Writable({
      write(c, _e, cb) {
        chunks.push(c);
        cb();
      },
    }),
  );
  const text = Buffer.concat(chunks).toString('utf8');
  return { lines: text === '' ? [] : text.replace(/\n$/, '').split('\n'), failed };
}

/** The resources of a Bundle's entries, in order, as NDJSON lines. */
function entryResources(file: string): string[] {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { entry?: Array<{ resource?: unknown }> };
  return (doc.entry ?? []).filter((e) => e.resource !== undefined).map((e) => JSON.stringify(e.resource));
}

t.test('Synthea transaction bundles: one line per entry resource, in entry order', async (t) => {
  const counts: number[] = [];
  for (const n of fs.readdirSync(syntheaDir).sort()) {
    const f = path.join(syntheaDir, n);
    const { lines, failed } = await unbundled(openInputs([f]));
    t.strictSame(lines, entryResources(f), n);
    t.equal(failed.length, 0);
    counts.push(lines.length);
  }
  t.same(counts.sort((a, b) => a - b), [28, 217, 290]);
});

t.test('every hl7 example bundle; entries without a resource (DELETE requests) have nothing to write', async (t) => {
  const dir = path.join(samples, 'hl7-r4-examples/bundles');
  for (const n of fs.readdirSync(dir).sort()) {
    const f = path.join(dir, n);
    t.strictSame((await unbundled(openInputs([f]))).lines, entryResources(f), n);
  }
  const tx = path.join(dir, 'Bundle-bundle-transaction.json');
  const doc = JSON.parse(fs.readFileSync(tx, 'utf8')) as { entry: unknown[] };
  t.ok(entryResources(tx).length < doc.entry.length, 'the transaction example has entries without a resource');
});

t.test('a Bundle that arrives whole (an NDJSON line) is unbundled too; other resources pass', async (t) => {
  const bundle = JSON.parse(fs.readFileSync(path.join(samples, 'hl7-r4-examples/bundles/Bundle-b248b1b2-1686-4b94-9936-37d7a5f94b51.json'), 'utf8'));
  const patient = { resourceType: 'Patient', id: 'solo' };
  const { lines } = await unbundled(
    Readable.from([
      { kind: 'ok', value: bundle, loc: { file: 'x.ndjson', line: 1 } },
      { kind: 'ok', value: patient, loc: { file: 'x.ndjson', line: 2 } },
    ]),
  );
  t.equal(lines.length, 12 + 1, '12 Patients from the collection, then the lone one');
  t.strictSame(lines.slice(0, 12), bundle.entry.map((e: { resource: unknown }) => JSON.stringify(e.resource)));
  t.equal(lines[12], JSON.stringify(patient));
});

t.test('an entry resource without resourceType is reported with its entry index', async (t) => {
  const { lines, failed } = await unbundled(
    Readable.from([
      { kind: 'start', head: { resourceType: 'Bundle' }, loc: { file: 'b' } },
      { kind: 'ok', value: { resource: { id: 'no-type' } }, loc: { file: 'b', entry: 0 } },
      { kind: 'ok', value: { resource: { resourceType: 'Patient' } }, loc: { file: 'b', entry: 1 } },
      { kind: 'end', tail: {}, loc: { file: 'b' } },
    ]),
  );
  t.same(lines, ['{"resourceType":"Patient"}']);
  t.match(failed, [{ code: 'NO_RESOURCE_TYPE', loc: { file: 'b', entry: 0 } }]);
});
