import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ok, type Failed, type Item } from '../../src/core/record.js';
import { deidentifyItem } from '../../src/fhir/deidentify-item.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import { parseLine } from '../../src/sources/ndjson-records.js';
import { BundleStreamCore } from '../../src/sources/bundle-stream.js';
import { sharedData } from '../helpers/run-cli.js';

type Json = Record<string, unknown>;

// A failed record's resourceType goes to the error log and to the report's
// per-type counts. Only an R4 resource type may: a made-up one is record
// content (found by fuzzing: `"resourceType":"<PHI>"` came out in both).
const patient = JSON.parse(fs.readFileSync('data/samples/fhir/Patient.ndjson', 'utf8').split('\n')[0]!) as Json;
const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 0x42));
const loc = { file: 'in.ndjson', line: 3, offset: 10 };

t.test('an unknown resourceType fails without its value; a known one keeps its type', async (t) => {
  const bad = deidentifyItem(ok({ ...patient, resourceType: 'Jane ZZLEAKQQ' }, loc), env) as Failed;
  t.equal(bad.code, 'UNKNOWN_RESOURCE_TYPE');
  t.equal(bad.resourceType, undefined);
  t.notOk(JSON.stringify(bad).includes('ZZLEAKQQ'));
  const entry = deidentifyItem(ok({ resource: 'ZZLEAKQQ' }, { ...loc, entry: 0 }), env);
  t.notOk(JSON.stringify(entry).includes('ZZLEAKQQ'));
});

t.test('a too-deep line keeps a known type, never a made-up one', async (t) => {
  const deep = (rt: string) => `{"resourceType":"${rt}","x":${'['.repeat(50)}${']'.repeat(50)}}`;
  const bad = parseLine(Buffer.from(deep('ZZLEAKQQ')), loc, 10) as Failed;
  t.equal(bad.code, 'TOO_DEEP');
  t.equal(bad.resourceType, undefined);
  const good = parseLine(Buffer.from(deep('Patient')), loc, 10) as Failed;
  t.equal(good.resourceType, 'Patient');
});

t.test('a cut JSON document with a made-up resourceType fails without it', async (t) => {
  const text = JSON.stringify({ ...patient, resourceType: 'ZZLEAKQQ' });
  const core = new BundleStreamCore({ file: 'p.json' });
  const items: Item[] = [];
  core.push(Buffer.from(text.slice(0, text.length - 40)), items);
  core.end(items);
  const f = items.find((i) => i.kind === 'failed') as Failed | undefined;
  t.equal(f?.code, 'TRUNCATED_JSON');
  t.notOk(JSON.stringify(items).includes('ZZLEAKQQ'));
});

// A streamed Bundle's entries are records (counted in the report): an entry
// whose resource is not an R4 resource fails with the code such an NDJSON
// line gets. Found by fuzzing: it was counted out and silently dropped.
t.test('a streamed entry whose resource is no resource fails; entries without one pass', async (t) => {
  const dir = path.join(sharedData, 'fhir-samples/synthea-transaction-bundles');
  const first = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()[0]!;
  const bundle = JSON.parse(fs.readFileSync(path.join(dir, first), 'utf8')) as Json;
  const real = (bundle.entry as Json[])[0]!;
  const at = (i: number) => ({ file: 'b.json', offset: 5, entry: i });
  const cases: Array<[unknown, string]> = [
    ['ZZLEAKQQ', 'NOT_AN_OBJECT'],
    [[real.resource], 'NOT_AN_OBJECT'],
    [{ ...(real.resource as Json), resourceType: undefined }, 'NO_RESOURCE_TYPE'],
    [{ ...(real.resource as Json), resourceType: 'ZZLEAKQQ' }, 'UNKNOWN_RESOURCE_TYPE'],
  ];
  for (const [i, [resource, code]] of cases.entries()) {
    const out = deidentifyItem(ok({ ...real, resource }, at(i)), env);
    t.equal(out.kind === 'failed' && out.code, code, code);
    t.same(out.kind === 'failed' && out.loc, at(i), 'with its entry index');
    t.notOk(JSON.stringify(out).includes('ZZLEAKQQ'));
  }
  const good = deidentifyItem(ok(real, at(9)), env);
  t.equal(good.kind, 'ok');
  t.equal(((good as { value: Json }).value.resource as Json).resourceType, (real.resource as Json).resourceType);
  const noResource = deidentifyItem(ok({ request: { method: 'DELETE', url: 'Patient/1' } }, at(10)), env);
  t.equal(noResource.kind, 'ok', 'an entry without a resource (a DELETE) is no failure');
});
