// The report counts instances by Modality. Modality is a CS a file may fill
// with anything, so only a PS3.3 defined term is written there; any other
// value is counted under (other). Found by fuzzing: a name written into
// Modality came out in the report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import t from 'tap';
import { dicomEditor } from '../../src/dicom/edit.js';
import { dicomTokenizer } from '../../src/dicom/tokenizer.js';
import { dicomWriter } from '../../src/dicom/writer.js';
import { reportedModality } from '../../src/dicom/profile/modality-terms.js';
import { samplePath } from '../dicom/samples.js';
import { runDicomCli } from './dicom-cli.js';

const MODALITY = 0x00080060;
const MARKER = 'ZZLEAKQQ';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-dicom-modality-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function withModality(file: string, modality: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(
    Readable.from([fs.readFileSync(file)]),
    dicomTokenizer(),
    dicomEditor((el, p) => (p.length === 0 && el.tag === MODALITY ? { replace: modality } : 'keep')),
    dicomWriter(),
    new Writable({ write(c: Buffer, _e, cb) { chunks.push(c); cb(); } }),
  );
  return Buffer.concat(chunks);
}

t.test('defined terms are reported as they are, anything else as (other)', async (t) => {
  t.equal(reportedModality('CT'), 'CT');
  t.equal(reportedModality('RTSTRUCT'), 'RTSTRUCT');
  t.equal(reportedModality('DS'), 'DS', 'a retired term');
  t.equal(reportedModality(''), '(unknown)');
  t.equal(reportedModality('SMITH'), '(other)');
  t.equal(reportedModality('CT\\MR'), '(other)');
});

t.test('a Modality that is no defined term does not reach the report', async (t) => {
  const src = path.join(tmp, 'in');
  fs.mkdirSync(src);
  const bytes = await withModality(samplePath('ts/CT1_UNC.explicit_little_endian.dcm'), MARKER);
  t.ok(bytes.includes(Buffer.from(MARKER)), 'the input holds the marker');
  fs.writeFileSync(path.join(src, 'a.dcm'), bytes);
  const report = path.join(tmp, 'report.json');
  const r = await runDicomCli([src, '-o', path.join(tmp, 'out'), '--report', report]);
  t.equal(r.code, 0);
  const text = fs.readFileSync(report, 'utf8');
  t.notOk(text.includes(MARKER), 'no marker in the report');
  t.notOk(r.stderr.includes(MARKER), 'no marker on stderr');
  t.same(JSON.parse(text).byType, { '(other)': { in: 1, out: 1, failed: 0 } });
});
