import t from 'tap';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, sharedData } from '../helpers/run-cli.js';
import { parseConfig } from '../../src/config/load-config.js';
import { dicomPlanFrom } from '../../src/dicom/profile/plan.js';
import type { DicomPart } from '../../src/config/normalize-dicom.js';

// deid does not redact text in pixel data; instances that may carry it are
// quarantined. A config asking for pixel redaction together with
// allowBurnedIn would write such an instance with its text: refused.

const instance = join(sharedData, 'dicom-samples/us-burned-in/gdcm-US-ALOKA-16.dcm');
const part = (c: object) => parseConfig(c).dicom as DicomPart;

t.test('the plan refuses each way of asking for pixel redaction with allowBurnedIn', async (t) => {
  const asks: [object, string][] = [
    [{ image: { textRedactionMode: 'REDACT_ALL_TEXT' } }, 'image.textRedactionMode'],
    [{ dicom: { filterProfile: 'KEEP_ALL_PROFILE' }, image: { textRedactionMode: 'REDACT_SENSITIVE_TEXT' } }, 'image.textRedactionMode'],
    [{ dicomTagConfig: { options: { cleanImage: { textRedactionMode: 'REDACT_SENSITIVE_TEXT' } } } }, 'dicomTagConfig.options.cleanImage.textRedactionMode'],
    [{ dicomTagConfig: { actions: [{ queries: ['PatientName'], keepTag: {} }, { queries: ['PixelData'], cleanImageTag: { textRedactionMode: 'REDACT_ALL_TEXT' } }] } }, 'dicomTagConfig.actions[1].cleanImageTag.textRedactionMode'],
  ];
  for (const [c, path] of asks) {
    t.throws(() => dicomPlanFrom(part(c), { allowBurnedIn: true }), { code: 'CONFIG_INVALID', message: new RegExp(path.replace(/[.[\]]/g, '\\$&')) }, path);
    t.equal(dicomPlanFrom(part(c), {}).allowBurnedIn, false, `${path} without allowBurnedIn: quarantine`);
  }
  t.equal(dicomPlanFrom(part({ image: { textRedactionMode: 'REDACT_NO_TEXT' } }), { allowBurnedIn: true }).allowBurnedIn, true, 'REDACT_NO_TEXT asks for nothing');
});

t.test('deid dicom: config + --allow-burned-in exits 78 and writes nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'deid-pixelredact-'));
  const config = join(dir, 'c.json');
  writeFileSync(config, JSON.stringify({ image: { textRedactionMode: 'REDACT_ALL_TEXT' } }));
  const out = join(dir, 'out');
  const r = await runCli(['dicom', instance, '-c', config, '--allow-burned-in', '-o', out]);
  t.equal(r.code, 78);
  t.match(r.stderr, `${config}: image.textRedactionMode`);
  t.notOk(existsSync(out), 'no output folder');
  const inFile = join(dir, 'c2.json');
  writeFileSync(inFile, JSON.stringify({ image: { textRedactionMode: 'REDACT_ALL_TEXT' }, deid: { dicom: { allowBurnedIn: true } } }));
  const r2 = await runCli(['dicom', instance, '-c', inFile, '-o', '-']);
  t.equal(r2.code, 78, 'deid.dicom.allowBurnedIn in the same file');
  t.equal(r2.stdout.length, 0, 'no instance on stdout');
});
