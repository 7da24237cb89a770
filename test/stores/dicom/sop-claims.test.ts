import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { claimExisting, SopClaims } from '../../../src/stores/dicom/sop-claims.js';

t.test('the first path claimed for a SOPInstanceUID is the one every later claim is told', (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-sop-claims-'));
  t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const claims = new SopClaims(path.join(tmp, 'sop'));
  t.equal(claims.claim('2.25.1', 'A/B/2.25.1.dcm'), undefined, 'a new UID is claimed');
  t.equal(claims.claim('2.25.2', 'A/B/2.25.2.dcm'), undefined);
  t.equal(claims.claim('2.25.1', 'C/D/2.25.1.dcm'), 'A/B/2.25.1.dcm', 'another study: told the kept path');
  t.equal(claims.claim('2.25.1', 'A/B/2.25.1.dcm'), 'A/B/2.25.1.dcm', 'the same path again: told it, the caller compares bytes');
  t.equal(claims.claim('2.25.10', 'C/D/2.25.10.dcm'), undefined, 'a UID that starts like another is its own');
  t.same(fs.readdirSync(path.join(tmp, 'sop')).sort(), ['2.25.1', '2.25.10', '2.25.2'], 'one link per UID, on disk');
  t.end();
});

t.test('nothing is made before the first claim', (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-sop-claims-'));
  t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
  new SopClaims(path.join(tmp, 'sop'));
  t.same(fs.readdirSync(tmp), []);
  t.end();
});

t.test("claimExisting claims the folder's instances by their names in the <Study>/<Series>/<SOP>.dcm layout only", async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-sop-claims-'));
  t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const root = path.join(tmp, 'out');
  const put = (rel: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), 'x');
  };
  put('1.2/1.2.3/1.2.3.4.dcm');
  put('1.2/1.2.9/1.2.3.5.dcm');
  put('1.3/1.3.1/1.2.3.4.dcm'); // the same SOP under a later study name: the first in name order keeps it
  put('flat/1.2.3.6.dcm'); // not the layout
  put('1.2/1.2.3/notes.txt');
  put('1.2/x.y/1.2.3.7.dcm'); // no UID
  put('.deid-tmp-a/1.2/1.2.3/1.2.3.8.dcm'); // a run's hidden temporary folder
  const claims = new SopClaims(path.join(tmp, 'sop'));
  await claimExisting(claims, root);
  t.same(fs.readdirSync(path.join(tmp, 'sop')).sort(), ['1.2.3.4', '1.2.3.5']);
  t.equal(claims.claim('1.2.3.4', path.join('9', '9', '1.2.3.4.dcm')), path.join('1.2', '1.2.3', '1.2.3.4.dcm'));
});
