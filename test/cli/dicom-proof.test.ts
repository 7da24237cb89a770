// `deid dicom` over every shared sample, one instance at a time on stdout:
// the output reads in dicom-parser and dcmdump, keeps the pixel data byte for
// byte, holds none of the values the profile takes out, and is the same bytes
// for the same key.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { MALFORMED, sampleFiles, samplePath } from '../dicom/samples.js';
import { basicProfileCsv, parseAny, pixelBytes, pixelChunks, searchableBytes, walk, withoutChunks } from '../dicom/profile/helpers.js';
import { KEY_B } from '../helpers/run-cli.js';
import { runDicomCli } from './dicom-cli.js';

const hasDcmdump = spawnSync('dcmdump', ['--version']).status === 0;
const table = basicProfileCsv();
const files = sampleFiles().filter((f) => !(f in MALFORMED) && !f.endsWith('DICOMDIR'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-dicom-proof-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dcmdumpOk(buf: Buffer): boolean {
  const p = path.join(tmp, 'check.dcm');
  fs.writeFileSync(p, buf);
  return spawnSync('dcmdump', ['-q', '+uc', p]).status === 0;
}

/** Values (≥ 4 characters) the default profile takes out: rows other than K/C, and private attributes. */
function removedValues(input: Buffer): string[] {
  const all = walk(parseAny(input));
  const kept: string[] = [];
  const removed: string[] = [];
  for (const v of all) {
    if (!v.value) continue;
    const row = table.get((v.tag >>> 0).toString(16).padStart(8, '0'));
    const isPrivate = ((v.tag >>> 16) & 1) === 1;
    const code = row?.basicProfile;
    if (!isPrivate && (!code || code === 'K' || code === 'C')) kept.push(v.value);
    else if (v.vr !== 'TM' && !v.value.startsWith('1.2.840.10008.')) removed.push(v.value.trim());
  }
  const meta = input.subarray(0, 1024).toString('latin1');
  // A value that is also kept elsewhere (or in the file meta, which the writer owns) may rightly still be there.
  return removed.filter((r) => r.length >= 4 && /[0-9A-Za-z]/.test(r) && !kept.some((k) => k.includes(r)) && !meta.includes(r));
}

/** Runs the command on every sample, a few at a time. */
async function runAll(): Promise<Map<string, Awaited<ReturnType<typeof runDicomCli>>>> {
  const results = new Map<string, Awaited<ReturnType<typeof runDicomCli>>>();
  const queue = [...files];
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        results.set(name, await runDicomCli([samplePath(name), '-o', '-', '--allow-burned-in', '-q']));
      }
    }),
  );
  return results;
}
const all = runAll();

for (const name of files) {
  t.test(name, async (t) => {
    const input = fs.readFileSync(samplePath(name));
    const r = (await all).get(name)!;
    t.equal(r.code, 0, 'exit 0');
    t.equal(r.stderr, '', 'nothing on stderr');
    const out = r.stdout;
    t.ok(out.length > 0, 'an instance on stdout');
    if (hasDcmdump && dcmdumpOk(input)) t.ok(dcmdumpOk(out), 'dcmdump reads the output');
    let readable = true;
    try {
      parseAny(input);
    } catch {
      readable = false;
    }
    if (!readable) return;
    t.doesNotThrow(() => parseAny(out), 'dicom-parser reads the output');
    const pin = pixelBytes(input);
    if (pin) t.ok(pin.equals(pixelBytes(out)!), 'pixel data identical');
    const hay = withoutChunks(searchableBytes(out), pixelChunks(out) ?? []);
    for (const v of removedValues(input)) t.equal(hay.indexOf(Buffer.from(v, 'latin1')), -1, `a removed value (${v.length} chars) is gone`);
  });
}

t.test('same key → byte-identical output; another key → different', async (t) => {
  for (const name of ['ts/CT_small.dcm', 'ts/MR_small_bigendian.dcm', 'ts/report_dfl.dcm', 'encapsulated/MR_small_RLE.dcm', 'rt/rtplan.dcm']) {
    const a = await runDicomCli([samplePath(name), '-o', '-', '-q']);
    const b = await runDicomCli([samplePath(name), '-o', '-', '-q']);
    const c = await runDicomCli([samplePath(name), '-o', '-', '-q'], { key: KEY_B });
    t.ok(a.stdout.length > 0 && a.stdout.equals(b.stdout), `${name}: same bytes`);
    t.notOk(a.stdout.equals(c.stdout), `${name}: another key, other bytes`);
  }
});
