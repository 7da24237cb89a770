import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { dicomEditor, dicomTokenizer, dicomWriter, keep, remove, replace, tagOf, type EditRule } from '../../src/dicom/index.js';
import { MALFORMED, sampleFiles, samplePath } from './samples.js';
import { collect, readSample } from './tokenize-helpers.js';

// DCMTK is installed in CI from .ci/apt-packages.txt.
const hasDcmdump = spawnSync('dcmdump', ['--version']).status === 0;

const rules: EditRule = (el, p) => {
  if (el.tag === tagOf('PatientName')) return remove;
  if (el.tag === tagOf('PatientID')) return replace(p.length === 0 ? 'ANON-0001' : 'NESTED-ID');
  return keep;
};

function dump(file: string): { ok: boolean; out: string; err: string } {
  const r = spawnSync('dcmdump', ['-q', '+uc', file], { encoding: 'latin1' });
  return { ok: r.status === 0 && !/^E:/m.test(r.stderr), out: r.stdout, err: r.stderr };
}

t.test('edited outputs read cleanly in dcmdump and show the edits', { skip: hasDcmdump ? false : 'dcmdump not installed' }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deid-dcmdump-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  let checked = 0;
  for (const name of sampleFiles()) {
    if (MALFORMED[name]) continue;
    const before = dump(samplePath(name));
    if (!before.ok) continue; // DCMTK rejects some edge cases on its own
    const out = Buffer.concat(await collect<Buffer>([Readable.from([readSample(name)]), dicomTokenizer(), dicomEditor(rules), dicomWriter()]));
    const file = path.join(dir, name.replace(/\//g, '_'));
    writeFileSync(file, out);
    const after = dump(file);
    t.ok(after.ok, `${name}: dcmdump reads the output`);
    t.notMatch(after.out, /^\s*\(0010,0010\)/m, `${name}: no PatientName`);
    const ids = [...after.out.matchAll(/^(\s*)\(0010,0020\) \w\w \[([^\]]*)\]/gm)];
    const idsBefore = [...before.out.matchAll(/^(\s*)\(0010,0020\)/gm)];
    t.equal(ids.length, idsBefore.length, `${name}: every PatientID still there`);
    for (const m of ids) t.equal(m[2], m[1] === '' ? 'ANON-0001' : 'NESTED-ID', `${name}: PatientID at depth ${m[1]!.length / 2}`);
    // Apart from the edited lines, the dump is the same.
    const strip = (s: string) =>
      s.split('\n').filter((l) => !/\((0010,00[12]0|fffe,e00d|fffe,e0dd)\)|^# /.test(l)).map((l) => l.replace(/(Sequence|Item) with (explicit|undefined) length.*$|#\s*\d+,/g, '')).join('\n');
    // A DICOMDIR stores byte offsets of its records; they go stale when a record
    // changes length (a known limitation: directories are not rewritten).
    // A meta without TransferSyntaxUID gets the one the dataset was read in (and a new group length).
    const metaFixed = /^\(0002,0010\)/m.test(after.out) && !/^\(0002,0010\)/m.test(before.out);
    if (metaFixed) t.equal(name, 'edge-cases/meta_missing_tsyntax.dcm', `${name}: TransferSyntaxUID added to the meta`);
    const unfixed = (s: string) => (metaFixed ? s.split('\n').filter((l) => !/^\(0002,00[01]0\)/.test(l)).join('\n') : s);
    if (!name.endsWith('DICOMDIR')) t.equal(unfixed(strip(after.out)), unfixed(strip(before.out)), `${name}: nothing else changed`);
    checked++;
  }
  t.ok(checked >= 60, `checked ${checked} files`);
  t.ok(execFileSync('dcmdump', ['--version'], { encoding: 'latin1' }).length > 0);
});
