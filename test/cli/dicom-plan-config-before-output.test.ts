import t from 'tap';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, sharedData } from '../helpers/run-cli.js';

// A config the DICOM plan refuses (here an unknown keyword in a tag list,
// which the schema cannot tell) stops deid dicom, deid dataset and deid
// dicom-store with 78 before the destination or an operation record exists.

const instance = join(sharedData, 'dicom-samples/us-burned-in/gdcm-US-ALOKA-16.dcm');

function setup(): { dir: string; config: string; dataset: string } {
  const dir = mkdtempSync(join(tmpdir(), 'deid-dicomplan-'));
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ dicom: { keepList: { tags: ['PatientName', 'JohnSmithDoe'] } } }));
  const dataset = join(dir, 'dataset');
  mkdirSync(join(dataset, 'dicom', 's1'), { recursive: true });
  copyFileSync(instance, join(dataset, 'dicom', 's1', 'a.dcm'));
  return { dir, config, dataset };
}

function expectRefused(t: Tap.Test, r: { code: number | null; stdout: Buffer; stderr: string }, config: string, out: string): void {
  t.equal(r.code, 78, 'config error');
  t.match(r.stderr, 'CONFIG_INVALID');
  t.match(r.stderr, `${config}: dicom.keepList.tags[1]: unknown DICOM keyword`, 'names the file and the path');
  t.notMatch(r.stderr, 'JohnSmithDoe', 'does not echo the value');
  t.equal(r.stdout.length, 0, 'nothing on stdout');
  t.notOk(existsSync(out), 'no destination, no operation record');
}

t.test('deid dicom', async (t) => {
  const { dir, config } = setup();
  const out = join(dir, 'out');
  expectRefused(t, await runCli(['dicom', instance, '-c', config, '-o', out]), config, out);
});

t.test('deid dataset', async (t) => {
  const { dir, config, dataset } = setup();
  const out = join(dir, 'out');
  expectRefused(t, await runCli(['dataset', dataset, out, '-c', config]), config, out);
});

t.test('deid dicom-store', async (t) => {
  const { dir, config, dataset } = setup();
  const out = join(dir, 'out');
  expectRefused(t, await runCli(['dicom-store', join(dataset, 'dicom'), out, '-c', config]), config, out);
});
