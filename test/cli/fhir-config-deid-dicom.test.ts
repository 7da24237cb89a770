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

t.test('a DICOM part deid dicom would refuse is refused by deid fhir and deid text too, before any output', async (t) => {
  const typo = configFile({ fhir: {}, dicom: { keepList: { tags: ['PatientID', 'PatientNmae'] } } });
  const burned = configFile({ dicom: {}, image: { textRedactionMode: 'REDACT_ALL_TEXT' }, deid: { dicom: { allowBurnedIn: true } } });
  for (const [file, where] of [
    [typo, /dicom\.keepList\.tags\[1\]: unknown DICOM keyword/],
    [burned, /image\.textRedactionMode/],
  ] as const) {
    const dicom = await runCli(['dicom', path.join(sharedData, 'dicom-samples/ts/CT1_UNC.explicit_little_endian.dcm'), '-o', path.join(tmp, `never-${files}`), '-c', file]);
    t.equal(dicom.code, 78, 'deid dicom refuses it');
    for (const args of [['fhir', patient], ['text']]) {
      const r = await runCli([...args, '-c', file], args[0] === 'text' ? { input: '{"id":1,"text":"Seen by Dr. Ames"}\n' } : {});
      t.equal(r.code, 78, `deid ${args[0]}`);
      t.match(r.stderr, where);
      t.match(r.stderr, file, 'the message names the file');
      t.equal(r.stdout.length, 0, 'nothing written');
    }
  }
  const ok = configFile({ fhir: {}, dicom: { keepList: { tags: ['PatientID', '00100010'] } } });
  t.equal((await runCli(['fhir', patient, '-c', ok])).code, 0, 'a valid DICOM part is still taken');
  t.equal((await runCli(['text', '-c', ok], { input: '{"id":1,"text":"x"}\n' })).code, 0);
});
