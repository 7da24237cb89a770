import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import highland from 'highland';
import { fhirDeidentifier } from '../../src/index.js';
import type { Failed } from '../../src/core/record.js';
import { repoRoot, KEY_A } from '../helpers/run-cli.js';
import { patientIdentifiers, findLeaks } from '../helpers/leak-check.js';

type Json = Record<string, unknown>;
const ndjson = fs.readFileSync(path.join(repoRoot, 'data/samples/fhir/Patient.ndjson'));
const patients = ndjson.toString().trim().split('\n').map((l) => JSON.parse(l) as Json);

t.test('object mode in a node:stream pipeline', async (t) => {
  const out: Json[] = [];
  const failures: Failed[] = [];
  const deid = fhirDeidentifier({ key: KEY_A });
  deid.on('failed', (f: Failed) => failures.push(f));
  await pipeline(Readable.from([...patients, 'not an object', { resourceType: 'Nope' }]), deid, async function* (src) {
    for await (const r of src) out.push(r as Json);
  });
  t.equal(out.length, patients.length);
  t.same(failures.map((f) => [f.loc.line, f.code]), [[4, 'NOT_AN_OBJECT'], [5, 'UNKNOWN_RESOURCE_TYPE']]);
  t.same(deid.counts, { in: 5, out: 3, failed: 2 });
  t.same(findLeaks(patientIdentifiers(patients), out), []);
  t.notOk(patients.some((p) => out.some((o) => o.id === p.id)), 'ids pseudonymised');
});

t.test('byte mode agrees with object mode and with the CLI shape', async (t) => {
  const chunks: Buffer[] = [];
  const deid = fhirDeidentifier({ key: KEY_A, mode: 'bytes' });
  // fed in odd-sized pieces to cross line boundaries
  const pieces: Buffer[] = [];
  for (let i = 0; i < ndjson.length; i += 777) pieces.push(ndjson.subarray(i, i + 777));
  await pipeline(Readable.from(pieces), deid, async function* (src) {
    for await (const c of src) chunks.push(Buffer.from(c as Buffer));
  });
  const lines = Buffer.concat(chunks).toString().trim().split('\n').map((l) => JSON.parse(l));
  const objs: Json[] = [];
  await pipeline(Readable.from(patients), fhirDeidentifier({ key: KEY_A }), async function* (src) {
    for await (const r of src) objs.push(r as Json);
  });
  t.same(lines, objs);
});

t.test('composes with highland', async (t) => {
  const deid = fhirDeidentifier({ key: KEY_A });
  const result = await new Promise<Json[]>((resolve, reject) => {
    highland(patients)
      .map((p) => ({ ...p }))
      .through(deid as unknown as NodeJS.ReadWriteStream)
      .filter((r: unknown) => (r as Json).resourceType === 'Patient')
      .stopOnError(reject)
      .toArray((xs: unknown[]) => resolve(xs as Json[]));
  });
  t.equal(result.length, patients.length);
  t.same(findLeaks(patientIdentifiers(patients), result), []);
  t.ok(result.every((r) => Array.isArray((r.meta as Json).security)), 'security labels added');
});

t.test('a Google config object is accepted; a bad one fails fast', async (t) => {
  const keepNames = fhirDeidentifier({ key: KEY_A, config: { fhirFieldConfig: { profileType: 'BASIC', fieldMetadataList: [{ paths: ['Patient.name'], keepField: {} }] } } });
  const out: Json[] = [];
  await pipeline(Readable.from(patients), keepNames, async function* (src) {
    for await (const r of src) out.push(r as Json);
  });
  t.same(out.map((o) => o.name), patients.map((p) => p.name), 'keepField wins over the profile');
  t.throws(() => fhirDeidentifier({ key: KEY_A, config: { fhirFieldConfig: { profileType: 'BAD' } } }), { code: 'CONFIG_INVALID' });
  t.throws(() => fhirDeidentifier({ key: 'short' }), { code: 'KEY_INVALID' });
});
