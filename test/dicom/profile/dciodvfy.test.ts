// dciodvfy (dicom3tools) finds no IOD error in an output that it did not
// already find in the input: the profile's dummies, empties and removals keep
// instances valid.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { MALFORMED, sampleFiles, samplePath } from '../samples.js';
import { deid } from './helpers.js';

const has = spawnSync('dciodvfy', ['-help']).error === undefined;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-dciodvfy-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Error lines with values, UIDs and numbers blanked, so that the same finding compares equal. */
function errors(file: string): Set<string> {
  const r = spawnSync('dciodvfy', [file], { encoding: 'latin1' });
  return new Set(
    `${r.stdout}\n${r.stderr}`
      .split('\n')
      .filter((l) => l.startsWith('Error'))
      .map((l) => l.replace(/<[^>]*>/g, '<>').replace(/"[^"]*"/g, '""').replace(/\d[\d.]*/g, '#')),
  );
}

/** Inputs dciodvfy cannot read through (deflated datasets, a meta/dataset mismatch, broken test files). */
const UNREADABLE = new Set([
  'edge-cases/meta_missing_tsyntax.dcm', 'sequences-private/nested_priv_SQ.dcm', 'edge-cases/SC_rgb_jpeg.dcm',
  'ts/image_dfl.dcm', 'ts/report_dfl.dcm', 'ts/wave_dfl.dcm',
]);
const files = sampleFiles().filter((f) => !(f in MALFORMED) && !f.endsWith('DICOMDIR'));

t.test('no new IOD errors', { skip: has ? false : 'dciodvfy (apt dicom3tools) not installed' }, async (t) => {
  for (const name of files) {
    const out = path.join(tmp, 'out.dcm');
    fs.writeFileSync(out, (await deid(samplePath(name))).bytes);
    const before = errors(samplePath(name));
    if (before.has('Error - Dicom dataset read failed') || [...before].some((e) => e.startsWith('Error - Tags out of order'))) {
      // dciodvfy cannot read these inputs, so their findings are no baseline.
      t.ok(UNREADABLE.has(name), `${name}: only known inputs are unreadable by dciodvfy`);
      continue;
    }
    const added = [...errors(out)].filter((e) => !before.has(e));
    t.same(added, [], name);
  }
});

/** Warnings that a PN value has no component delimiter (dciodvfy's "Retired Person Name form"). */
function retiredPn(file: string): Set<string> {
  const r = spawnSync('dciodvfy', [file], { encoding: 'latin1' });
  return new Set(`${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes('Retired Person Name form')).map((l) => l.replace(/<[^>]*>/g, '<>')));
}

// PS3.15 E.1 action D on a PN (OperatorsName X/Z/D, ContentCreatorName Z/D)
// must give a PN in the current form (PS3.5 6.2.1.1), not the retired one.
t.test('PN dummies are in the current Person Name form', { skip: has ? false : 'dciodvfy (apt dicom3tools) not installed' }, async (t) => {
  for (const name of ['multiframe/emri_small.dcm', 'sequences-private/liver_1frame.dcm', 'sr/test-SR.dcm']) {
    const out = path.join(tmp, 'pn.dcm');
    fs.writeFileSync(out, (await deid(samplePath(name))).bytes);
    const before = retiredPn(samplePath(name));
    t.same([...retiredPn(out)].filter((w) => !before.has(w)), [], name);
  }
});
