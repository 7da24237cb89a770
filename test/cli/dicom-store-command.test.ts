import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { MAX_FILTER_FILE_BYTES } from '../../src/cli/filter-file.js';
import { runCli, sharedData } from '../helpers/run-cli.js';
import { readRecord, tempDir } from './fhir-store-helpers.js';

// --filter-file was read whole with readFileSync: an endless file (/dev/zero, a FIFO) took all
// memory, bytes that are not UTF-8 became U+FFFD, a directory was reported as missing, and a bad
// line was refused only once the operation had started (its record written, exit 70) under the
// number of the line among the non-comment lines, not in the file. Each is now refused before
// anything is written, naming the file (and the file's own line number).
const ct = path.join(sharedData, 'dicom-samples/ts/CT1_UNC.explicit_little_endian.dcm');
const STUDY = '1.3.6.1.4.1.5962.1.2.1.20040826185059.5457';

function setup(t: Tap.Test): { tmp: string; src: string; dest: string } {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  fs.mkdirSync(src);
  fs.copyFileSync(ct, path.join(src, 'ct.dcm'));
  return { tmp, src, dest: path.join(tmp, 'dest') };
}

async function refused(t: Tap.Test, dest: string, args: string[], code: number, message: RegExp): Promise<void> {
  const r = await runCli(['dicom-store', ...args, '-q']);
  t.equal(r.code, code, r.stderr);
  t.match(r.stderr, message);
  t.notOk(fs.existsSync(dest), 'nothing written: no destination folder, no operation record');
}

t.test('a filter file that cannot be used is refused before the operation starts', async (t) => {
  const { tmp, src, dest } = setup(t);
  const file = (name: string, body: string | Buffer): string => {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, body);
    return p;
  };
  const bad = file('bad.txt', `# studies\n\n/studies/${STUDY}\n/studies/${STUDY}/series/x.y\n`);
  await refused(t, dest, [src, dest, '--filter-file', bad], 78, /STORE_FILTER_INVALID.*--filter-file .*bad\.txt: line 4$/m);
  const r = await runCli(['dicom-store', src, dest, '--filter-file', bad, '-q']);
  t.notMatch(r.stderr, /x\.y/, 'the line itself is not echoed');

  const crlf = file('crlf.txt', `/studies/${STUDY}\r\n\r\n/studies/1.2.3/series/\r\n`);
  await refused(t, dest, [src, dest, '--filter-file', crlf], 78, /crlf\.txt: line 3$/m);

  const latin1 = file('latin1.txt', Buffer.concat([Buffer.from(`/studies/${STUDY}\n# caf`), Buffer.from([0xe9]), Buffer.from('\n')]));
  await refused(t, dest, [src, dest, '--filter-file', latin1], 78, /CONFIG_INVALID.*latin1\.txt: not valid UTF-8/);

  const binary = file('ct-as-filter.dcm', fs.readFileSync(ct));
  await refused(t, dest, [src, dest, '--filter-file', binary], 78, /CONFIG_INVALID.*ct-as-filter\.dcm: not valid UTF-8/);
  const nul = file('nul.txt', `/studies/${STUDY}\n/studies/1.2\0.3\n`);
  await refused(t, dest, [src, dest, '--filter-file', nul], 78, /STORE_FILTER_INVALID.*nul\.txt: line 2$/m);

  await refused(t, dest, [src, dest, '--filter-file', '/dev/zero'], 78, new RegExp(`CONFIG_INVALID.*--filter-file /dev/zero: larger than ${MAX_FILTER_FILE_BYTES} bytes`));
  const big = path.join(tmp, 'big.txt');
  fs.writeFileSync(big, '');
  fs.truncateSync(big, MAX_FILTER_FILE_BYTES + 1);
  await refused(t, dest, [src, dest, '--filter-file', big], 78, /big\.txt: larger than/);

  await refused(t, dest, [src, dest, '--filter-file', tmp], 78, /CONFIG_INVALID.*--filter-file .*: cannot be read \(EISDIR\)/);
  await refused(t, dest, [src, dest, '--filter-file', path.join(tmp, 'none.txt')], 66, /INPUT_NOT_FOUND.*--filter-file .*none\.txt/);
});

t.test('a list of 100,000 instances with 64-character series and instance UIDs is read, in UTF-8 with a BOM', async (t) => {
  const { tmp, src, dest } = setup(t);
  const uid = (n: number): string => `1.2.${String(n).padStart(60, '9')}`;
  const lines = [`/studies/${STUDY}`];
  // each instance line is covered by the study line above, so the listing holds one entry
  for (let i = 0; i < 100_000; i++) lines.push(`/studies/${STUDY}/series/${uid(i)}/instances/${uid(i + 1)}`);
  const body = '\ufeff' + lines.join('\n') + '\n';
  t.ok(Buffer.byteLength(body) > 19_000_000 && Buffer.byteLength(body) < MAX_FILTER_FILE_BYTES, `${Buffer.byteLength(body)} bytes`);
  const list = path.join(tmp, 'list.txt');
  fs.writeFileSync(list, body);
  const r = await runCli(['dicom-store', src, dest, '--filter-file', list]);
  t.equal(r.code, 0, r.stderr);
  const id = /operation (\S+) /.exec(r.stderr)![1]!;
  const rec = readRecord(path.join(dest, '.deid-operations'), id);
  t.same(rec.counters.success, 1);
  t.same(Object.keys(rec.stores.default.units).filter((u) => u !== '(listing)'), [STUDY]);
});
