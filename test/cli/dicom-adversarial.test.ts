// Truncated, malformed, hostile inputs and run-level errors: an error entry
// (file, byte offset, code) and no output file, never PHI in messages.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { samplePath } from '../dicom/samples.js';
import { runDicomCli } from './dicom-cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-dicom-adv-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);
}

function errors(file: string): Record<string, unknown>[] {
  return fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

const MR = fs.readFileSync(samplePath('ts/MR_small.dcm'));
const PATIENT_NAME = 'CompressedSamples';

t.test('an instance cut at any of many offsets: one error entry each, no output file', async (t) => {
  const dir = path.join(tmp, 'cuts');
  fs.mkdirSync(dir);
  const cuts = [1, 100, 131, 132, 140, 200, 333, 700, 1000, 1500, 2500, 5000, MR.length - 1];
  for (const c of cuts) fs.writeFileSync(path.join(dir, `cut-${String(c).padStart(6, '0')}.dcm`), MR.subarray(0, c));
  const out = path.join(tmp, 'cuts-out');
  const err = path.join(tmp, 'cuts-errors.ndjson');
  const r = await runDicomCli([dir, '-o', out, '--errors', err]);
  t.equal(r.code, 3, 'exit 3: instances failed');
  const lines = errors(err);
  t.equal(lines.length, cuts.length, 'one entry per cut file');
  for (const l of lines) {
    t.match(l, { file: /cut-\d+\.dcm$/, code: /^DICOM_(TRUNCATED|MALFORMED)$/ });
    t.type(l.offset, 'number', 'a byte offset');
  }
  t.same(filesUnder(out), [], 'no output file, no temporary file left');
  t.match(r.stderr, new RegExp(`${cuts.length} in, 0 out, ${cuts.length} failed`));
});

t.test('garbage, empty and huge-length inputs', async (t) => {
  const dir = path.join(tmp, 'bad');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'empty.dcm'), Buffer.alloc(0));
  fs.writeFileSync(path.join(dir, 'garbage.dcm'), Buffer.from('this is not DICOM at all, PatientName=Smith'.repeat(20)));
  // A valid header whose element claims 4 GB.
  const huge = Buffer.from(MR);
  const at = huge.indexOf(Buffer.from([0x10, 0x00, 0x10, 0x00]), 132);
  huge.writeUInt16LE(0xfff0, at + 6);
  fs.writeFileSync(path.join(dir, 'huge-length.dcm'), huge);
  const out = path.join(tmp, 'bad-out');
  const err = path.join(tmp, 'bad-errors.ndjson');
  const r = await runDicomCli([dir, '-o', out, '--errors', err]);
  t.equal(r.code, 3);
  t.equal(errors(err).length, 3);
  t.same(filesUnder(out), []);
  t.notMatch(fs.readFileSync(err, 'utf8') + r.stderr, /Smith|CompressedSamples/, 'no content in messages');
});

t.test('good and bad together: the good ones are written, in = out + failed', async (t) => {
  const dir = path.join(tmp, 'mixed');
  fs.mkdirSync(dir);
  fs.copyFileSync(samplePath('ts/MR_small.dcm'), path.join(dir, 'a.dcm'));
  fs.writeFileSync(path.join(dir, 'b.dcm'), MR.subarray(0, 3000));
  fs.copyFileSync(samplePath('us-burned-in/synthetic_US_burned_in_rgb.dcm'), path.join(dir, 'c.dcm'));
  const out = path.join(tmp, 'mixed-out');
  const err = path.join(tmp, 'mixed-errors.ndjson');
  const report = path.join(tmp, 'mixed-report.json');
  const r = await runDicomCli([dir, '-o', out, '--errors', err, '--report', report]);
  t.equal(r.code, 3);
  t.same(errors(err).map((l) => l.code).sort(), ['DICOM_BURNED_IN', 'DICOM_TRUNCATED']);
  t.equal(filesUnder(out).length, 1);
  const rep = JSON.parse(fs.readFileSync(report, 'utf8')) as { records: { in: number; out: number; failed: number }; errors: Record<string, number>; operation: string };
  t.same(rep.records, { in: 3, out: 1, failed: 2 });
  t.equal(rep.operation, 'dicom');
  t.same(rep.errors, { DICOM_BURNED_IN: 1, DICOM_TRUNCATED: 1 });
  t.notMatch(fs.readFileSync(report, 'utf8') + r.stderr + fs.readFileSync(err, 'utf8'), new RegExp(PATIENT_NAME));
});

t.test('a standard sequence written as UN whose bytes are not items: that element is removed, the instance written', async (t) => {
  // ReferencedStudySequence (0008,1110) as explicit UN with a defined length, put where (0008,1110)
  // goes in MR_small (before its first (0008,2xxx) element); its bytes are no items.
  const garbage = Buffer.from('ZZLEAKZZ\x01\x02ZZLEAKZZ', 'latin1');
  const header = Buffer.from([0x08, 0x00, 0x10, 0x11, 0x55, 0x4e, 0, 0, 0, 0, 0, 0]);
  header.writeUInt32LE(garbage.length, 8);
  let at = 132;
  for (;;) {
    // Explicit VR LE headers of MR_small (no sequences at the top level before (0008,1110)).
    const group = MR.readUInt16LE(at);
    const tag = ((group << 16) | MR.readUInt16LE(at + 2)) >>> 0;
    if (group !== 0x0002 && tag > 0x00081110) break;
    const vr = MR.toString('latin1', at + 4, at + 6);
    const long = ['OB', 'OW', 'OF', 'SQ', 'UT', 'UN'].includes(vr);
    at += long ? 12 + MR.readUInt32LE(at + 8) : 8 + MR.readUInt16LE(at + 6);
  }
  const dir = path.join(tmp, 'un');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'a.dcm'), Buffer.concat([MR.subarray(0, at), header, garbage, MR.subarray(at)]));
  const out = path.join(tmp, 'un-out');
  const err = path.join(tmp, 'un-errors.ndjson');
  const report = path.join(tmp, 'un-report.json');
  const r = await runDicomCli([dir, '-o', out, '--errors', err, '--report', report]);
  t.equal(r.code, 0, 'the instance is not lost');
  t.equal(fs.existsSync(err) ? fs.readFileSync(err, 'utf8') : '', '', 'no error entry');
  const rep = JSON.parse(fs.readFileSync(report, 'utf8')) as { records: unknown; actions: Record<string, number> };
  t.same(rep.records, { in: 1, out: 1, failed: 0 });
  t.equal(rep.actions['ReferencedStudySequence: removed (unreadable)'], 1);
  const files = fs.readdirSync(out, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
  t.equal(files.length, 1);
  const written = fs.readFileSync(path.join(files[0]!.parentPath, files[0]!.name));
  t.equal(written.indexOf('ZZLEAKZZ'), -1, 'the unread bytes are not in the output');
  t.equal(written.indexOf(PATIENT_NAME), -1, 'and the rest is de-identified');
});

t.test('stdin in, stdout out; a truncated stdin writes nothing to stdout', async (t) => {
  const ok = await runDicomCli(['-', '-o', '-', '-q'], { input: MR });
  t.equal(ok.code, 0);
  t.equal(ok.stdout.toString('latin1', 128, 132), 'DICM');
  const bad = await runDicomCli(['-', '-o', '-'], { input: MR.subarray(0, 3000) });
  t.equal(bad.code, 3);
  t.equal(bad.stdout.length, 0, 'nothing on stdout');
  t.match(bad.stderr, /1 in, 0 out, 1 failed \(DICOM_TRUNCATED 1\)/);
});

t.test('run-level errors: exit statuses and no output', async (t) => {
  const missing = await runDicomCli([path.join(tmp, 'nope.dcm'), '-o', path.join(tmp, 'o1')]);
  t.equal(missing.code, 66, 'missing input');
  t.match(missing.stderr, /INPUT_NOT_FOUND/);
  const two = await runDicomCli([samplePath('ts/MR_small.dcm'), samplePath('ts/CT_small.dcm'), '-o', '-']);
  t.equal(two.code, 64, '-o - takes one instance');
  t.equal(two.stdout.length, 0);
  const cfg = path.join(tmp, 'bad.json');
  fs.writeFileSync(cfg, JSON.stringify({ dicom: { keepList: { tags: ['NoSuchKeyword'] } } }));
  const badCfg = await runDicomCli([samplePath('ts/MR_small.dcm'), '-o', path.join(tmp, 'o2'), '-c', cfg]);
  t.equal(badCfg.code, 78, 'config invalid');
  t.same(filesUnder(path.join(tmp, 'o2')), []);
  const badOpt = await runDicomCli([samplePath('ts/MR_small.dcm'), '-o', path.join(tmp, 'o3'), '--option', 'retainEverything']);
  t.equal(badOpt.code, 64, 'unknown option');
  const file = path.join(tmp, 'a-file');
  fs.writeFileSync(file, 'x');
  const outIsFile = await runDicomCli([samplePath('ts/MR_small.dcm'), '-o', file]);
  t.equal(outIsFile.code, 73, 'output is a file');
});

t.test('a DICOMDIR named on the command line is refused; in a folder it is skipped', async (t) => {
  const err = path.join(tmp, 'dir-errors.ndjson');
  const r = await runDicomCli([samplePath('edge-cases/DICOMDIR'), '-o', path.join(tmp, 'dd'), '--errors', err]);
  t.equal(r.code, 3);
  t.match(errors(err)[0], { code: 'DICOM_UNSUPPORTED' });
});

t.test('a link to nothing named like an instance is an error entry; a link back up the folder tree is walked once', async (t) => {
  const dir = path.join(tmp, 'links');
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  fs.copyFileSync(samplePath('ts/MR_small.dcm'), path.join(dir, 'a.dcm'));
  fs.symlinkSync(path.join(tmp, 'no-such-file.dcm'), path.join(dir, 'b.dcm'));
  fs.symlinkSync(path.join(tmp, 'no-such-file'), path.join(dir, 'notes'));
  fs.symlinkSync('..', path.join(dir, 'sub', 'up'));
  const out = path.join(tmp, 'links-out');
  const err = path.join(tmp, 'links-errors.ndjson');
  const r = await runDicomCli([dir, '-o', out, '--errors', err]);
  t.equal(r.code, 3);
  t.match(r.stderr, /2 in, 1 out, 1 failed/);
  t.match(errors(err), [{ file: path.join(dir, 'b.dcm'), code: 'READ_FAILED' }]);
  t.equal(filesUnder(out).length, 1);
});

t.test('datasets without preamble and without a .dcm name (explicit and implicit VR) are inputs in a folder; text and other binary files are not', async (t) => {
  const dir = path.join(tmp, 'raw');
  fs.mkdirSync(dir);
  fs.copyFileSync(samplePath('edge-cases/ExplVR_LitEndNoMeta.dcm'), path.join(dir, 'IM0001'));
  // Implicit VR LE: SOPInstanceUID, Modality, PatientName.
  const implicit = (g: number, e: number, v: string): Buffer => {
    const b = Buffer.alloc(8);
    b.writeUInt16LE(g, 0);
    b.writeUInt16LE(e, 2);
    b.writeUInt32LE(v.length, 4);
    return Buffer.concat([b, Buffer.from(v, 'latin1')]);
  };
  fs.writeFileSync(path.join(dir, 'IM0002'), Buffer.concat([implicit(0x0008, 0x0018, '1.2.3.4\u0000'), implicit(0x0008, 0x0060, 'CT'), implicit(0x0010, 0x0010, 'Doe^Jane')]));
  fs.writeFileSync(path.join(dir, 'README'), 'Scans of 2024-01-01\n');
  fs.writeFileSync(path.join(dir, 'thumb.png'), Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
  fs.writeFileSync(path.join(dir, 'notes.txt'), Buffer.from('N\0o\0t\0e\0s\0', 'latin1'), 'latin1');
  const out = path.join(tmp, 'raw-out');
  const r = await runDicomCli([dir, '-o', out]);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, /2 in, 2 out, 0 failed/);
  t.equal(filesUnder(out).length, 2);
});

t.test('files with DICM at byte 0 (no preamble) are found in a folder, whatever their name, and de-identified as with one', async (t) => {
  const withPreamble = path.join(tmp, 'dicm-with');
  const without = path.join(tmp, 'dicm-without');
  fs.mkdirSync(withPreamble);
  fs.mkdirSync(without);
  fs.writeFileSync(path.join(withPreamble, 'mr.dcm'), MR);
  fs.writeFileSync(path.join(without, 'IM0001'), MR.subarray(128));
  fs.writeFileSync(path.join(without, 'IM0002'), Buffer.concat([Buffer.from('DICM'), Buffer.from('PatientName=Smith '.repeat(10))]));
  fs.writeFileSync(path.join(without, 'notes.txt'), 'DIC');
  const a = await runDicomCli([withPreamble, '-o', path.join(tmp, 'dicm-with-out')]);
  t.equal(a.code, 0, a.stderr);
  const err = path.join(tmp, 'dicm-errors.ndjson');
  const b = await runDicomCli([without, '-o', path.join(tmp, 'dicm-without-out'), '--errors', err]);
  t.equal(b.code, 3, b.stderr);
  t.match(b.stderr, /2 in, 1 out, 1 failed/);
  t.match(errors(err), [{ file: /IM0002$/, code: 'DICOM_MALFORMED' }]);
  t.notMatch(fs.readFileSync(err, 'utf8') + b.stderr, /Smith/, 'no content in messages');
  const outA = filesUnder(path.join(tmp, 'dicm-with-out'));
  t.same(filesUnder(path.join(tmp, 'dicm-without-out')), outA, 'the same output file');
  const read = (dir: string): Buffer => fs.readFileSync(fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name))[0]!);
  const out = read(path.join(tmp, 'dicm-without-out'));
  t.ok(out.equals(read(path.join(tmp, 'dicm-with-out'))), 'with the same bytes');
  t.ok(out.subarray(0, 128).equals(Buffer.alloc(128)) && out.toString('latin1', 128, 132) === 'DICM', 'a zero preamble and DICM');
});

t.test('SQs that are not items: defined length removed and counted, undefined length one error entry; in = out + failed', async (t) => {
  // ProcedureCodeSequence (0008,1032), explicit VR, inserted before MR_small's first element above it.
  const garbage = Buffer.from('ZZLEAKZZ\x01\x02ZZLEAKZZ', 'latin1');
  const sq = (length: number): Buffer => {
    const h = Buffer.from([0x08, 0x00, 0x32, 0x10, 0x53, 0x51, 0, 0, 0, 0, 0, 0]);
    h.writeUInt32LE(length >>> 0, 8);
    return h;
  };
  let at = 132;
  for (;;) {
    const group = MR.readUInt16LE(at);
    const tag = ((group << 16) | MR.readUInt16LE(at + 2)) >>> 0;
    if (group !== 0x0002 && tag > 0x00081032) break;
    const vr = MR.toString('latin1', at + 4, at + 6);
    const long = ['OB', 'OW', 'OF', 'SQ', 'UT', 'UN'].includes(vr);
    at += long ? 12 + MR.readUInt32LE(at + 8) : 8 + MR.readUInt16LE(at + 6);
  }
  const dir = path.join(tmp, 'sq');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'a-defined.dcm'), Buffer.concat([MR.subarray(0, at), sq(garbage.length), garbage, MR.subarray(at)]));
  const end = Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
  fs.writeFileSync(path.join(dir, 'b-undefined.dcm'), Buffer.concat([MR.subarray(0, at), sq(0xffffffff), garbage, end, MR.subarray(at)]));
  fs.writeFileSync(path.join(dir, 'c-plain.dcm'), MR);
  const out = path.join(tmp, 'sq-out');
  const err = path.join(tmp, 'sq-errors.ndjson');
  const report = path.join(tmp, 'sq-report.json');
  const r = await runDicomCli([dir, '-o', out, '--errors', err, '--report', report]);
  t.equal(r.code, 3, 'exit 3: an instance failed');
  t.match(r.stderr, /3 in, 2 out, 1 failed \(DICOM_MALFORMED 1\)/);
  const rep = JSON.parse(fs.readFileSync(report, 'utf8')) as { records: { in: number; out: number; failed: number }; actions: Record<string, number> };
  t.same(rep.records, { in: 3, out: 2, failed: 1 });
  t.equal(rep.records.in, rep.records.out + rep.records.failed);
  t.equal(rep.actions['ProcedureCodeSequence: removed (unreadable)'], 1);
  t.match(errors(err), [{ file: /b-undefined\.dcm$/, code: 'DICOM_MALFORMED', offset: Number }]);
  t.equal(errors(err).length, 1);
  const logs = fs.readFileSync(err, 'utf8') + fs.readFileSync(report, 'utf8') + r.stderr;
  t.notMatch(logs, /ZZLEAKZZ|CompressedSamples/, 'no value in the error log, report or stderr');
  const written = fs.readdirSync(out, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => fs.readFileSync(path.join(d.parentPath, d.name)));
  t.equal(written.length, 1, 'a-defined and c-plain are one instance (same SOPInstanceUID, same output bytes)');
  t.equal(written[0]!.indexOf('ZZLEAKZZ'), -1, 'the unread bytes are not in the output');
});
