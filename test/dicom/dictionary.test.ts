import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { implicitVR, keywordOf, lookupTag, tagOf } from '../../src/dicom/index.js';
import { repoRoot } from './samples.js';

t.test('the copied dictionary is the shared one', async (t) => {
  const ours = readFileSync(path.join(repoRoot, 'data/dicom/dictionary.compact.json'));
  const shared = readFileSync(path.resolve(repoRoot, '../shared/data/dicom-standard/dictionary.compact.json'));
  t.ok(ours.equals(shared));
});

t.test('keyword <-> tag <-> VR', async (t) => {
  t.equal(tagOf('PatientName'), 0x00100010);
  t.equal(keywordOf(0x00100020), 'PatientID');
  t.equal(lookupTag(0x00081155)?.vrs, 'UI');
  t.equal(tagOf('NoSuchKeyword'), undefined);
  // Every exact entry of the source maps both ways.
  const raw = JSON.parse(readFileSync(path.join(repoRoot, 'data/dicom/dictionary.compact.json'), 'utf8')) as Record<string, unknown>;
  let n = 0;
  for (const [k, v] of Object.entries(raw)) {
    if (k.startsWith('_') || !Array.isArray(v) || !v[0]) continue;
    const tag = parseInt(k, 16) >>> 0;
    if (keywordOf(tag) !== v[0] || tagOf(v[0] as string) !== tag) t.fail(k);
    n++;
  }
  t.ok(n > 5000, `${n} entries checked`);
});

t.test('every row read from the indexed file equals the row JSON.parse gives', async (t) => {
  const raw = JSON.parse(readFileSync(path.join(repoRoot, 'data/dicom/dictionary.compact.json'), 'utf8')) as Record<string, unknown>;
  let n = 0;
  let bad = 0;
  for (const [k, v] of Object.entries(raw)) {
    if (k.startsWith('_')) continue;
    const row = v as string[];
    const e = lookupTag(parseInt(k, 16) >>> 0);
    const same = e && e.keyword === (row[0] ?? '') && e.vrs === (row[1] ?? '') && e.vm === (row[2] ?? '') && e.retired === (row[3] === 'RET');
    if (!same) bad++;
    n++;
  }
  t.equal(bad, 0, 'rows that differ');
  t.equal(n, 5041, 'exact rows in the 2024b dictionary');
  // Tags between, before and after the rows find nothing (even groups only: odd ones are private).
  for (const tag of [0x00000000, 0x00020004, 0x00100011, 0x7fe0000a, 0x7fe00012, 0xfffe0000, 0xfffffffe]) t.equal(lookupTag(tag), undefined, tag.toString(16));
  t.equal(lookupTag(0xfffee000)?.keyword, 'Item', 'the last rows are found');
  t.equal(lookupTag(0x00020000)?.keyword, 'FileMetaInformationGroupLength', 'the first row is found');
});

t.test('wildcard entries (overlays, curves) resolve', async (t) => {
  t.equal(keywordOf(0x60003000), 'OverlayData');
  t.equal(keywordOf(0x60023000), 'OverlayData');
  t.equal(keywordOf(0x60023000), 'OverlayData', 'twice (remembered)');
});

t.test('a private tag never takes a standard keyword, even where a wildcard would match', async (t) => {
  for (const tag of [0x60013000, 0x60013000, 0x50010010, 0x00190010, 0x00291010]) {
    t.equal(lookupTag(tag), undefined);
    t.equal(implicitVR(tag), (tag & 0xffff) >= 0x10 && (tag & 0xffff) <= 0xff ? 'LO' : 'UN');
  }
});

t.test('VR for implicit-VR data', async (t) => {
  t.equal(implicitVR(0x00100010), 'PN');
  t.equal(implicitVR(0x7fe00010), 'OW', 'OB or OW resolves to OW');
  t.equal(implicitVR(0x00280106), 'US', 'US or SS resolves to US');
  t.equal(implicitVR(0x00090010), 'LO', 'private creator');
  t.equal(implicitVR(0x00091001), 'UN', 'private element');
  t.equal(implicitVR(0x00080000), 'UL', 'group length');
  t.equal(implicitVR(0x00081140), 'SQ');
  t.equal(implicitVR(0x12345678), 'UN', 'unknown');
});
