// `deid fhir` on gzip inputs as exports hand them over: several members in
// one file, bytes after the last member, a cut. Every record zlib can decode
// comes out; what cannot be read is one GZIP_CORRUPT entry with its line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { constants as zlibConstants, gzipSync, inflateRawSync } from 'node:zlib';
import t from 'tap';
import { parseNdjson, runCli, sharedData } from '../helpers/run-cli.js';

const synthea = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients');
const obs = fs.readFileSync(path.join(synthea, 'Observation.ndjson'));
const patients = fs.readFileSync(path.join(synthea, 'Patient.ndjson'));
const obsCount = 4622;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-gzip-cli-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], input?: Buffer) {
  const errorsFile = path.join(dir, `errors-${Math.random().toString(36).slice(2)}.ndjson`);
  const reportFile = `${errorsFile}.report.json`;
  const r = await runCli(['fhir', ...args, '--errors', errorsFile, '--report', reportFile], { input });
  const errors = fs.existsSync(errorsFile) ? parseNdjson(fs.readFileSync(errorsFile)) : [];
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { records: { in: number; out: number; failed: number } };
  return { ...r, errors, report };
}

/** The same gzip file read four ways: as a file, on stdin, with a worker thread, into an output folder. */
function fourWays(file: string, bytes: Buffer, outFolder: string) {
  return [
    ['file', [file], undefined],
    ['stdin', ['-'], bytes],
    ['threads', [file, '--threads', '1'], undefined],
    ['folder', [file, '-o', outFolder], undefined],
  ] as const;
}

t.test('bytes after the gzip member: every record out, the rest logged, counts reconcile, exit 3', async (t) => {
  const file = path.join(dir, 'Observation.ndjson.gz');
  fs.writeFileSync(file, Buffer.concat([gzipSync(obs), Buffer.from('trailing bytes, not gzip\n')]));
  const plain = await runCli(['fhir', path.join(synthea, 'Observation.ndjson')]);
  const outFolder = path.join(dir, 'out');
  for (const [how, args, input] of fourWays(file, fs.readFileSync(file), outFolder)) {
    const r = await run([...args], input);
    t.equal(r.code, 3, `${how}: the run had failures`);
    const out = how === 'folder' ? fs.readFileSync(path.join(outFolder, 'Observation.ndjson')) : r.stdout;
    t.equal(parseNdjson(out).length, obsCount, `${how}: every record`);
    t.ok(out.equals(plain.stdout), `${how}: the output of the plain file`);
    t.same(r.errors, [{ file: how === 'stdin' ? '-' : file, line: obsCount + 1, gzipOffset: gzipSync(obs).length, code: 'GZIP_CORRUPT', reason: 'Compressed input is corrupt or truncated' }]);
    t.same(r.report.records, { ...r.report.records, in: obsCount + 1, out: obsCount, failed: 1 }, `${how}: in = out + failed`);
  }
});

t.test('concatenated members come out whole, like zcat', async (t) => {
  const file = path.join(dir, 'members.ndjson.gz');
  fs.writeFileSync(file, Buffer.concat([gzipSync(patients), gzipSync(obs.subarray(0, obs.indexOf('\n', 100_000) + 1)), gzipSync(obs.subarray(obs.indexOf('\n', 100_000) + 1))]));
  const plainFile = path.join(dir, 'members.ndjson');
  fs.writeFileSync(plainFile, Buffer.concat([patients, obs]));
  const r = await run([file]);
  const plain = await runCli(['fhir', plainFile]);
  t.equal(r.code, 0);
  t.same(r.errors, []);
  t.equal(parseNdjson(r.stdout).length, 30 + obsCount);
  t.ok(r.stdout.equals(plain.stdout), 'the output of the plain concatenation');
});

t.test('a truncated gzip: the complete lines before the cut come out, one GZIP_CORRUPT names the next', async (t) => {
  const gz = gzipSync(obs);
  const file = path.join(dir, 'cut.ndjson.gz');
  fs.writeFileSync(file, gz.subarray(0, gz.length - 20_000));
  const r = await run([file]);
  const lines = parseNdjson(r.stdout).length;
  t.equal(r.code, 3);
  t.ok(lines > obsCount - 400 && lines < obsCount, `${lines} records before the cut`);
  t.match(r.errors, [{ line: lines + 1, code: 'GZIP_CORRUPT' }]);
  t.equal(r.report.records.in, r.report.records.out + r.report.records.failed);
});

t.test('patients read from a gzip with bytes after it still scrub the notes of other files', async (t) => {
  // The first pass over Patient.ndjson.gz learnt nothing when the bytes after
  // the member failed zlib's read of the file's only chunk: a medical record
  // number known only from the Patient stayed in another record's text.
  const last = JSON.parse(patients.toString('utf8').trim().split('\n').pop()!) as { id: string; identifier: Array<{ value: string }> };
  const mrn = last.identifier[0]!.value;
  const note = { resourceType: 'Observation', id: 'note', status: 'final', code: { text: 'note' }, subject: { reference: `Patient/${last.id}` }, valueString: `follow-up for record ${mrn} today` };
  const notes = path.join(dir, 'Observation.note.ndjson');
  fs.writeFileSync(notes, JSON.stringify(note) + '\n');
  const pat = path.join(dir, 'Patient.ndjson.gz');
  fs.writeFileSync(pat, Buffer.concat([gzipSync(patients), Buffer.from('JUNK')]));
  const r = await run([notes, pat]);
  t.equal(r.code, 3);
  const out = parseNdjson(r.stdout);
  t.equal(out.length, 31);
  t.equal(out[0]!.valueString, 'follow-up for record [CTX] today');
  t.notMatch(r.stdout.toString(), mrn);
});

t.test('corrupt deflate data well inside the last read: every record decoded before the bad byte, then GZIP_CORRUPT at it', async (t) => {
  // zlib failed the whole inflate call that met the bad byte: the records it
  // had decoded before it (up to 16 KiB of them) never came out
  const gz = gzipSync(obs);
  t.ok(gz.length > 256 * 1024 + 60_000, 'a large last read');
  const SYNC = { finishFlush: zlibConstants.Z_SYNC_FLUSH };
  // 0xff over a few bytes that zlib rejects within them: where, and what it decodes before, by zlib alone
  let bad: Buffer | undefined;
  let at = -1;
  for (let near = gz.length - 40_000; !bad; near += 8) {
    const b = Buffer.from(gz);
    b.fill(0xff, near, near + 4);
    try {
      inflateRawSync(b.subarray(10, near + 16), SYNC);
      continue;
    } catch {
      for (at = near; ; at++) {
        try {
          inflateRawSync(b.subarray(10, at + 1), SYNC);
        } catch {
          break;
        }
      }
      bad = b;
    }
  }
  const decodable = inflateRawSync(bad.subarray(10, at), SYNC);
  const file = path.join(dir, 'corrupt.ndjson.gz');
  fs.writeFileSync(file, bad);
  const prefix = path.join(dir, 'Observation-prefix.ndjson');
  fs.writeFileSync(prefix, decodable.subarray(0, decodable.lastIndexOf(0x0a) + 1));
  const lines = decodable.subarray(0, decodable.lastIndexOf(0x0a) + 1).toString('utf8').split('\n').length - 1;
  const plain = await run([prefix]);
  t.ok(parseNdjson(plain.stdout).length > obsCount - 500, `${parseNdjson(plain.stdout).length} records before the bad byte`);
  const outFolder = path.join(dir, 'out-corrupt');
  for (const [how, args, input] of fourWays(file, bad, outFolder)) {
    const r = await run([...args], input);
    t.equal(r.code, 3, `${how}: the run had failures`);
    const out = how === 'folder' ? fs.readFileSync(path.join(outFolder, 'Observation.ndjson')) : r.stdout;
    t.ok(out.equals(plain.stdout), `${how}: the output of the lines zlib decodes before the bad byte`);
    const name = how === 'stdin' ? '-' : file;
    t.same(r.errors, [
      ...plain.errors.map((e) => ({ ...e, file: name })),
      { file: name, line: lines + 1, gzipOffset: at, code: 'GZIP_CORRUPT', reason: 'Compressed input is corrupt or truncated' },
    ]);
    t.equal(r.report.records.in, r.report.records.out + r.report.records.failed, `${how}: in = out + failed`);
  }
});
