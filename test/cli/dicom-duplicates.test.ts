// Two inputs with the same SOPInstanceUID land on the same output name: the
// second never silently replaces the first. Different bytes → a failed entry
// DICOM_DUPLICATE_SOP and the first output untouched; identical bytes (the
// same instance twice, or a re-run into the same folder) → accepted. Two
// inputs of different studies sharing one land on different names: the
// second is refused all the same.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { samplePath } from '../dicom/samples.js';
import { headerOf, makeStudies, testUid } from './dataset-dicom-helpers.js';
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

t.test('same SOPInstanceUID in two studies: the first input keeps it, the other is an error entry, with and without worker threads', async (t) => {
  const src = path.join(tmp, 'studies');
  // s00/i00 and s01/i00 share a SOPInstanceUID; studies, series and the other SOPs differ
  makeStudies(samplePath('ts/CT_small.dcm'), src, 2, 2, (s, i) => (i === 0 ? 'shared' : `${s}:${i}`));
  for (const threads of ['0', '1']) {
    const out = path.join(tmp, `studies-out-${threads}`);
    const err = path.join(tmp, `studies-errors-${threads}.ndjson`);
    const r = await runDicomCli([src, '-o', out, '--errors', err, '--threads', threads]);
    t.equal(r.code, 3, `--threads ${threads}: exit 3`);
    t.match(r.stderr, /4 in, 3 out, 1 failed/);
    const files = dcmFiles(out);
    t.equal(files.length, 3, 'three instances written, no temporary left');
    const headers = files.map((f) => headerOf(fs.readFileSync(f)));
    t.equal(new Set(headers.map((h) => h.sop)).size, 3, 'no SOPInstanceUID twice in the folder');
    t.equal(new Set(headers.map((h) => h.study)).size, 2, 'both studies are there');
    const lines = errorLines(err);
    t.equal(lines.length, 1);
    t.match(lines[0], { code: 'DICOM_DUPLICATE_SOP', file: path.join(src, 's01', 'i00.dcm') }, 'the later input is refused');
    const kept = /already at (\S+)$/.exec(String(lines[0]!.reason));
    t.ok(kept && fs.existsSync(path.join(out, kept[1]!)), 'the entry names the file that was kept');
    t.notMatch(JSON.stringify(lines) + r.stderr, new RegExp(testUid('shared:sop').replace(/\./g, '\\.')), 'no source UID in the log');

    const again = await runDicomCli([src, '-o', out, '--threads', threads]);
    t.equal(again.code, 3, 're-run into the same folder: the same entry again');
    t.match(again.stderr, /4 in, 3 out, 1 failed/);
    t.equal(dcmFiles(out).length, 3);

    // the later study alone, into the folder the first run wrote: its names catch it
    const alone = await runDicomCli([path.join(src, 's01'), '-o', out, '--threads', threads]);
    t.equal(alone.code, 3, 'a later run of the other study alone: refused against the folder');
    t.match(alone.stderr, /2 in, 1 out, 1 failed/);
    t.same(dcmFiles(out), files, 'the folder holds what it held');
  }
});
