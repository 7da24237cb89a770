import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { SopClaims } from '../../../src/stores/dicom/sop-claims.js';

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
