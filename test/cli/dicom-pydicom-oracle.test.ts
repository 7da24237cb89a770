// pydicom as an independent oracle: every well-formed shared sample goes
// through `deid dicom` (quarantined burned-in ones too, with
// --allow-burned-in), and one python process reads every output with
// pydicom.dcmread(force=False) and touches every element's value at every
// depth (PixelData excepted), reporting by sample name what fails.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { MALFORMED, sampleFiles, samplePath } from '../dicom/samples.js';
import { runDicomCli } from './dicom-cli.js';

/**
 * Reads [name, input, output] triples (JSON on stdin); prints
 * {name: {error, raw}} as JSON. An input without a part-10 header (no
 * preamble/DICM, which dcmread(force=False) refuses) gives a raw dataset
 * out, as it came in: that output is read with force=True (raw: true), and
 * still has to read in full.
 */
const READER = `
import json, sys, warnings
import pydicom
from pydicom.errors import InvalidDicomError

def read_all(path, force):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        ds = pydicom.dcmread(path, force=force)
        meta = ds.file_meta if getattr(ds, 'file_meta', None) is not None else []
        for el in meta:
            repr(el.value)
        n = 0
        for el in ds.iterall():
            if el.tag == 0x7FE00010:
                continue
            repr(el.value)
            n += 1
    if n == 0:
        raise ValueError('no dataset elements read')

def part10(path):
    try:
        pydicom.dcmread(path, force=False, stop_before_pixels=True)
        return True
    except InvalidDicomError:
        return False
    except Exception:
        return True

out = {}
for name, src, dst in json.load(sys.stdin):
    raw = not part10(src)
    try:
        read_all(dst, force=raw)
        out[name] = {'error': None, 'raw': raw}
    except Exception as e:
        out[name] = {'error': type(e).__name__ + ': ' + str(e)[:200], 'raw': raw}
print(json.dumps(out))
`;

/** The first python that imports pydicom (Debian's python3-pydicom lives under /usr/bin/python3). */
function findPython(): string | undefined {
  for (const py of ['python3', '/usr/bin/python3']) {
    if (spawnSync(py, ['-c', 'import pydicom'], { stdio: 'ignore' }).status === 0) return py;
  }
  return undefined;
}

interface Verdict {
  error: string | null;
  raw: boolean;
}

const python = findPython();
const files = sampleFiles().filter((f) => !(f in MALFORMED) && !f.endsWith('DICOMDIR'));

if (!python) {
  if (process.env.CI === 'true') {
    t.fail('pydicom is not importable (python3-pydicom from .ci/apt-packages.txt)');
  } else {
    console.error('\n*** SKIP: no pydicom (apt-get install python3-pydicom) — dicom-pydicom-oracle not run ***\n');
    t.test('pydicom reads every deid dicom output', { skip: 'SKIP: no pydicom' }, async () => undefined);
  }
} else {
  t.test('pydicom reads every deid dicom output', async (t) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-pydicom-'));
    t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
    t.ok(files.length > 50, `${files.length} samples`);

    const triples: [string, string, string][] = [];
    const queue = files.map((name, i) => ({ name, i }));
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
          const r = await runDicomCli([samplePath(job.name), '-o', '-', '--allow-burned-in', '-q']);
          t.equal(r.code, 0, `${job.name}: deid dicom exit 0`);
          if (r.code !== 0 || r.stdout.length === 0) continue;
          const out = path.join(tmp, `${job.i}.dcm`);
          fs.writeFileSync(out, r.stdout);
          triples.push([job.name, samplePath(job.name), out]);
        }
      }),
    );
    t.equal(triples.length, files.length, 'an output for every sample');

    const py = spawnSync(python, ['-c', READER], { input: JSON.stringify(triples), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    t.equal(py.status, 0, `the reader ran (${py.stderr.slice(-300)})`);
    const verdicts = JSON.parse(py.stdout || '{}') as Record<string, Verdict>;
    let raw = 0;
    for (const [name] of triples.sort((a, b) => a[0].localeCompare(b[0]))) {
      const v = verdicts[name];
      if (v?.raw) raw++;
      const how = v?.raw ? ' (raw dataset in and out: force=True)' : '';
      t.equal(v?.error, null, `${name}: pydicom reads the output${how}${v?.error ? ` — ${v.error}` : ''}`);
    }
    t.ok(raw < triples.length / 10, `${raw} samples without a part-10 header; all others read with force=False`);
  });

  t.test('the oracle is not blind: it rejects a bad value, a header without a dataset and a non-DICOM file', async (t) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-pydicom-neg-'));
    t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const src = samplePath('ts/CT_small.dcm');
    const good = fs.readFileSync(src);
    // Rows (0028,0010) relabelled FD: two bytes cannot be an 8-byte float, so reading its value fails.
    const rows = good.indexOf(Buffer.from([0x28, 0x00, 0x10, 0x00, 0x55, 0x53, 0x02, 0x00]));
    t.ok(rows > 0, 'Rows found');
    const badValue = Buffer.from(good);
    badValue.write('FD', rows + 4, 'latin1');
    const cases: Record<string, Buffer> = {
      badValue,
      headerOnly: good.subarray(0, 150),
      notDicom: Buffer.from('just some text, no preamble and no DICM\n'.repeat(10)),
    };
    const triples = Object.entries(cases).map(([name, b]) => {
      const p = path.join(tmp, `${name}.dcm`);
      fs.writeFileSync(p, b);
      return [name, src, p];
    });
    const py = spawnSync(python, ['-c', READER], { input: JSON.stringify(triples), encoding: 'utf8' });
    const verdicts = JSON.parse(py.stdout || '{}') as Record<string, Verdict>;
    for (const name of Object.keys(cases)) t.type(verdicts[name]?.error, 'string', `${name} rejected`);
    t.equal(verdicts.badValue?.raw, false, 'read as part-10 (force=False)');
  });
}
