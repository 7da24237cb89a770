// `deid dicom --threads N`: instances de-identified on worker threads give the
// same run as on the main thread alone — every output file byte for byte, the
// error log line for line (input order), the report's counts — including
// malformed, quarantined and duplicate inputs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { samplePath } from '../dicom/samples.js';
import { runDicomCli } from './dicom-cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-dicom-threads-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

const samples = path.dirname(path.dirname(samplePath('ts/CT1_UNC.explicit_little_endian.dcm')));

/** Every file under `dir` (relative path → bytes). */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const d of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (d.isFile()) out.set(path.relative(dir, path.join(d.parentPath, d.name)), fs.readFileSync(path.join(d.parentPath, d.name)));
  }
  return out;
}

async function run(threads: number, extra: string[]): Promise<{ files: Map<string, Buffer>; errors: string; report: Record<string, unknown>; code: number }> {
  const out = path.join(tmp, `out-${threads}-${extra.length}`);
  const errors = `${out}.errors.ndjson`;
  const report = `${out}.report.json`;
  const r = await runDicomCli([samples, ...extra, '-o', out, '--threads', String(threads), '--errors', errors, '--report', report]);
  return { files: tree(out), errors: fs.readFileSync(errors, 'utf8'), report: JSON.parse(fs.readFileSync(report, 'utf8')) as Record<string, unknown>, code: r.code };
}

for (const extra of [[], ['--allow-burned-in']]) {
  t.test(`every sample ${extra.join(' ') || '(defaults)'}: 2 worker threads = the main thread alone`, async (t) => {
    const one = await run(0, extra);
    const pooled = await run(2, extra);
    t.equal(pooled.code, one.code);
    t.ok(one.files.size > 20, `${one.files.size} outputs`);
    t.same([...pooled.files.keys()].sort(), [...one.files.keys()].sort(), 'the same output names, no temporary file left');
    for (const [name, bytes] of one.files) t.ok(pooled.files.get(name)?.equals(bytes), `${name} byte for byte`);
    t.ok(one.errors.split('\n').length > 5, 'the samples include failures');
    t.equal(pooled.errors, one.errors, 'the same error log, in input order');
    t.ok((one.report.errors as Record<string, number>).DICOM_DUPLICATE_SOP > 0, 'the samples include duplicate SOP Instance UIDs');
    for (const k of ['records', 'errors', 'actions', 'byType']) {
      t.not(one.report[k], undefined, `report has ${k}`);
      t.same(pooled.report[k], one.report[k], `report ${k}`);
    }
  });
}
