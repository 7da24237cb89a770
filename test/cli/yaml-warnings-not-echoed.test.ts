import t from 'tap';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, repoRoot, sharedData } from '../helpers/run-cli.js';

// A YAML tag the parser does not know is a warning the yaml package prints
// on stderr with the line it is on. Config and pipeline files are parsed
// without it: their values (a secret, a patient name) never reach stderr.

const SECRET = 'hunter2-SECRETVALUE';
const instance = join(sharedData, 'dicom-samples/us-burned-in/gdcm-US-ALOKA-16.dcm');

function files(): { dir: string; config: string; pipeline: string; dataset: string } {
  const dir = mkdtempSync(join(tmpdir(), 'deid-yamlwarn-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `dicom: {}\nfhir: !secret "${SECRET}"\n`);
  const pipeline = join(dir, 'p.yaml');
  writeFileSync(pipeline, `name: !secret "${SECRET}"\ninput: ${join(repoRoot, 'data/samples/fhir/Patient.ndjson')}\noutput: ${join(dir, 'pout')}\nstages: [fhir-deidentify]\nconfig: ${config}\n`);
  const dataset = join(dir, 'dataset');
  mkdirSync(join(dataset, 'dicom', 's1'), { recursive: true });
  copyFileSync(instance, join(dataset, 'dicom', 's1', 'a.dcm'));
  return { dir, config, pipeline, dataset };
}

t.test('deid dicom, dataset, dicom-store and run keep config lines off stderr', async (t) => {
  const f = files();
  const runs: [string, string[]][] = [
    ['dicom', ['dicom', instance, '-c', f.config, '-o', join(f.dir, 'o1')]],
    ['dataset', ['dataset', f.dataset, join(f.dir, 'o2'), '-c', f.config]],
    ['dicom-store', ['dicom-store', join(f.dataset, 'dicom'), join(f.dir, 'o3'), '-c', f.config]],
    ['run', ['run', f.pipeline]],
  ];
  for (const [name, args] of runs) {
    const r = await runCli(args);
    t.equal(r.code, 78, `${name}: config error`);
    t.notMatch(r.stderr, SECRET, `${name}: the value is not echoed`);
    t.notMatch(r.stderr, 'YAMLWarning', `${name}: no parser warning`);
  }
  t.notOk(existsSync(join(f.dir, 'o1')) || existsSync(join(f.dir, 'o2')) || existsSync(join(f.dir, 'o3')) || existsSync(join(f.dir, 'pout')), 'no output');
});
