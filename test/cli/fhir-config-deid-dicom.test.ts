import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, parseNdjson, sharedData } from '../helpers/run-cli.js';

const patient = path.join(sharedData, 'fhir-samples/hl7-r4-examples/resources/Patient-example.json');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-fhir-cfg-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
let files = 0;

function configFile(config: unknown): string {
  const file = path.join(tmp, `config-${++files}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

t.test('deid fhir -c takes a config written for deid dicom / deid dataset (deid.dicom ignored)', async (t) => {
  const shared = { fhir: {}, dicom: { filterProfile: 'DEIDENTIFY_TAG_CONTENTS' }, deid: { dicom: { options: ['retainUIDs'], allowBurnedIn: false } } };
  const r = await runCli(['fhir', patient, '-c', configFile(shared)]);
  t.equal(r.code, 0, r.stderr);
  const plain = await runCli(['fhir', patient, '-c', configFile({ fhir: {} })]);
  t.same(parseNdjson(r.stdout), parseNdjson(plain.stdout), 'same output as without the DICOM parts');
});

t.test('deid fhir -c still rejects an invalid deid.dicom', async (t) => {
  const r = await runCli(['fhir', patient, '-c', configFile({ deid: { dicom: { allowBurnedIn: true, retainAll: true } } })]);
  t.equal(r.code, 78);
  t.match(r.stderr, /deid\.dicom/);
  t.equal(r.stdout.length, 0);
});
