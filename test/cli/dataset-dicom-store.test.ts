import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { runCli, sharedData } from '../helpers/run-cli.js';
import { checksumTree } from '../helpers/store-items.js';
import { readRecord, tempDir } from './fhir-store-helpers.js';

const samples = path.join(sharedData, 'dicom-samples');
const idOf = (stderr: string): string => /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr)![1]!;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.name.startsWith('.') ? [] : e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

t.test('deid dicom-store: folder → folder as an operation, study by study; in = out + failed', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  for (const d of ['multiframe', 'rt', 'charset']) fs.cpSync(path.join(samples, d), path.join(src, d), { recursive: true });
  const before = checksumTree(src);
  const dest = path.join(tmp, 'dest');
  const r = await runCli(['dicom-store', src, dest]);
  t.ok(r.code === 0 || r.code === 3, r.stderr);
  const rec = readRecord(path.join(dest, '.deid-operations'), idOf(r.stderr));
  t.equal(rec.command, 'dicom-store');
  const c = rec.counters;
  t.equal(c.pending, 0);
  t.equal(c.success + c.failure, walk(src).length, 'every source file is stored or counted as failed');
  // some samples are encodings of the same instance (same UIDs): they land on one output file
  const outputs = walk(dest).length;
  t.ok(outputs > 0 && outputs <= c.success, `${outputs} output instances for ${c.success} stored`);
  t.equal(r.code, c.failure > 0 ? 3 : 0, 'exit status follows the failures');
  const errors = fs.readFileSync(rec.errorLog, 'utf8').split('\n').filter(Boolean);
  t.equal(errors.length, c.failure, 'each failure logged once');
  t.same(checksumTree(src), before, 'the source is unchanged');

  const again = await runCli(['dicom-store', src, dest, '--resume', rec.id]);
  t.equal(again.code, r.code, 'resuming a finished operation redoes nothing');
  t.same(readRecord(path.join(dest, '.deid-operations'), rec.id).counters, c, 'and counts nothing twice');
  t.equal(fs.readFileSync(rec.errorLog, 'utf8').split('\n').filter(Boolean).length, c.failure);
  const same = await runCli(['dicom-store', src, src]);
  t.equal(same.code, 64, 'source = destination is refused');
});

t.test('--filter-file selects studies; a filter line with nothing behind it fails as not found', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  fs.cpSync(path.join(samples, 'rt'), src, { recursive: true });
  const first = await runCli(['dicom-store', src, path.join(tmp, 'all'), '-q']);
  const rec = readRecord(path.join(tmp, 'all', '.deid-operations'), fs.readdirSync(path.join(tmp, 'all', '.deid-operations')).find((f) => f.endsWith('.json'))!.slice(0, -5));
  t.equal(first.code, rec.counters.failure > 0 ? 3 : 0);
  const studies = Object.keys(rec.stores.default.units).filter((u) => u !== '(listing)');
  t.ok(studies.length >= 2, `${studies.length} studies in the rt samples`);
  const filter = path.join(tmp, 'filter.txt');
  fs.writeFileSync(filter, `# one study\n/studies/${studies[0]}\n/studies/1.2.3.999\n`);
  const r = await runCli(['dicom-store', src, path.join(tmp, 'some'), '--filter-file', filter]);
  t.equal(r.code, 3);
  const rec2 = readRecord(path.join(tmp, 'some', '.deid-operations'), idOf(r.stderr));
  t.same(Object.keys(rec2.stores.default.units).sort(), ['(listing)', studies[0]].sort());
  t.same(rec2.errors, { STORE_INSTANCE_NOT_FOUND: 1 });
});

t.test('two source instances with one SOPInstanceUID and different content: the first is stored, the second is DICOM_DUPLICATE_SOP, never a silent replacement', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  fs.mkdirSync(src);
  const ct = fs.readFileSync(path.join(samples, 'ts/CT1_UNC.explicit_little_endian.dcm'));
  const other = Buffer.from(ct);
  // one pixel byte: pixel data is copied as it is, so the two outputs differ
  const pixels = other.lastIndexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]));
  t.ok(pixels > 0);
  other[pixels + 100] ^= 0xff;
  fs.writeFileSync(path.join(src, 'a.dcm'), ct);
  fs.writeFileSync(path.join(src, 'b.dcm'), other);
  fs.writeFileSync(path.join(src, 'c.dcm'), ct); // the same instance again is accepted

  const alone = path.join(tmp, 'alone');
  fs.mkdirSync(alone);
  fs.writeFileSync(path.join(alone, 'a.dcm'), ct);
  t.equal((await runCli(['dicom-store', alone, path.join(tmp, 'alone-out'), '-q'])).code, 0);
  const [expected] = walk(path.join(tmp, 'alone-out'));

  const dest = path.join(tmp, 'dest');
  const r = await runCli(['dicom-store', src, dest]);
  t.equal(r.code, 3, r.stderr);
  const rec = readRecord(path.join(dest, '.deid-operations'), idOf(r.stderr));
  t.same(rec.counters, { success: 2, failure: 1, pending: 0 });
  t.same(rec.errors, { DICOM_DUPLICATE_SOP: 1 });
  const files = walk(dest);
  t.equal(files.length, 1);
  t.ok(fs.readFileSync(files[0]!).equals(fs.readFileSync(expected!)), "the first instance's output stays, byte for byte");
  const lines = fs.readFileSync(rec.errorLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(lines, [{ code: 'DICOM_DUPLICATE_SOP', file: path.join(src, 'b.dcm') }]);
  t.equal(lines.length, 1);
});

t.test('a folder destination inside the folder source is refused (64): a re-run or resume would read its own output back in', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  fs.cpSync(path.join(samples, 'multiframe'), src, { recursive: true });
  const before = checksumTree(src);
  const r = await runCli(['dicom-store', src, path.join(src, 'out')]);
  t.equal(r.code, 64, r.stderr);
  t.match(r.stderr, /USAGE/);
  t.notOk(fs.existsSync(path.join(src, 'out')), 'nothing written');
  t.same(checksumTree(src), before);
});
