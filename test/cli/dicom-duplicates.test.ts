// Two inputs with the same SOPInstanceUID land on the same output name: the
// second never silently replaces the first. Different bytes → a failed entry
// DICOM_DUPLICATE_SOP and the first output untouched; identical bytes (the
// same instance twice, or a re-run into the same folder) → accepted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { samplePath } from '../dicom/samples.js';
import { runDicomCli } from './dicom-cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-dicom-dup-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

const CT = fs.readFileSync(samplePath('ts/CT1_UNC.explicit_little_endian.dcm'));

function dcmFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name)).sort();
}

function errorLines(file: string): Record<string, unknown>[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

t.test('same SOPInstanceUID, different pixels: the first is kept, the second is an error entry', async (t) => {
  const dir = path.join(tmp, 'conflict');
  fs.mkdirSync(dir);
  const other = Buffer.from(CT);
  // One pixel byte (the profile passes pixel data through; the sample ends with trailing padding, which it removes).
  const pixels = other.lastIndexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]));
  t.ok(pixels > 0);
  other[pixels + 100] ^= 0xff;
  fs.writeFileSync(path.join(dir, 'a.dcm'), CT);
  fs.writeFileSync(path.join(dir, 'b.dcm'), other);

  const aloneOut = path.join(tmp, 'alone-out');
  fs.mkdirSync(path.join(tmp, 'alone'));
  fs.writeFileSync(path.join(tmp, 'alone', 'a.dcm'), CT);
  t.equal((await runDicomCli([path.join(tmp, 'alone'), '-o', aloneOut])).code, 0);
  const [expected] = dcmFiles(aloneOut);

  const out = path.join(tmp, 'conflict-out');
  const err = path.join(tmp, 'conflict-errors.ndjson');
  const r = await runDicomCli([dir, '-o', out, '--errors', err]);
  t.equal(r.code, 3, 'exit 3: an instance failed');
  t.match(r.stderr, /2 in, 1 out, 1 failed/);
  const files = dcmFiles(out);
  t.equal(files.length, 1, 'one output file, no temporary left');
  t.equal(path.relative(out, files[0]!), path.relative(aloneOut, expected!), 'at the same new-UID path');
  t.ok(fs.readFileSync(files[0]!).equals(fs.readFileSync(expected!)), 'holding the first input\'s output, byte for byte');
  const lines = errorLines(err);
  t.equal(lines.length, 1);
  t.match(lines[0], { code: 'DICOM_DUPLICATE_SOP', file: path.join(dir, 'b.dcm') });
  t.notMatch(JSON.stringify(lines) + r.stderr, /1\.3\.6\.1\.4\.1\.5962/, 'no original UID in the log');
});

t.test('the same instance twice, and a re-run into the same folder, are accepted', async (t) => {
  const dir = path.join(tmp, 'twice');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'a.dcm'), CT);
  fs.writeFileSync(path.join(dir, 'copy-of-a.dcm'), CT);
  const out = path.join(tmp, 'twice-out');
  const r = await runDicomCli([dir, '-o', out]);
  t.equal(r.code, 0);
  t.match(r.stderr, /2 in, 2 out, 0 failed/);
  t.equal(dcmFiles(out).length, 1);
  const before = fs.readFileSync(dcmFiles(out)[0]!);
  const again = await runDicomCli([dir, '-o', out]);
  t.equal(again.code, 0, 're-run: same key, same bytes');
  t.ok(fs.readFileSync(dcmFiles(out)[0]!).equals(before));
  const otherKey = await runDicomCli([path.join(dir, 'a.dcm'), '-o', out], { key: 'b7'.repeat(32) });
  t.equal(otherKey.code, 0, 'another key gives other UIDs, so another name');
  t.equal(dcmFiles(out).length, 2);
});
