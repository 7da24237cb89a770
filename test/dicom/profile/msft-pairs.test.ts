// Microsoft DICOM anonymizer test pairs (../shared/data/msft-anonymizer, see
// its PROVENANCE): the upstream tests compare tag lists, so the deterministic
// expectations are which tags are present and which are removed.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { profileRow } from '../../../src/dicom/profile/table.js';
import { deid, msftDicom, parseAny } from './helpers.js';

const cli = path.join(msftDicom, 'src/Microsoft.Health.Dicom.Anonymizer.CommandLineTool.UnitTests');
const config = JSON.parse(
  fs.readFileSync(path.join(msftDicom, 'src/Microsoft.Health.Dicom.Anonymizer.CommandLineTool/configuration.json'), 'utf8').replace(/^\uFEFF/, ''),
) as { rules: { tag: string; method: string }[] };

/** Exact tags the upstream default profile removes. */
const msRemoves = new Set(
  config.rules
    .filter((r) => r.method === 'remove' && /^\(?[0-9A-Fa-f]{4},[0-9A-Fa-f]{4}\)?$/.test(r.tag))
    .map((r) => parseInt(r.tag.replace(/[(),]/g, ''), 16) >>> 0),
);

const topTags = (b: Buffer): Set<number> =>
  new Set(Object.keys(parseAny(b).elements).map((k) => parseInt(k.slice(1), 16) >>> 0).filter((tag) => tag >>> 16 !== 2));

t.test('the upstream config was read', async (t) => {
  t.ok(msRemoves.size > 100);
});

for (const name of ['I290.dcm', 'I341.dcm', 'privateTag.dcm']) {
  t.test(name, async (t) => {
    const input = fs.readFileSync(path.join(cli, 'DicomFiles', name));
    const expected = topTags(fs.readFileSync(path.join(cli, 'DicomResults', name)));
    const before = topTags(input);
    const ours = topTags((await deid(input)).bytes);

    // Upstream removes; deid removes too, except where PS3.15 gives a combined code (X/Z, X/D...)
    // and deid keeps the instance valid with Z or D (see resolve-action.ts), a documented difference.
    const removedUpstream = [...before].filter((tag) => !expected.has(tag) && msRemoves.has(tag));
    t.ok(removedUpstream.length > 0, 'upstream removes some attributes of this file');
    for (const tag of removedUpstream) {
      const code = profileRow(tag)?.basic ?? '';
      if (ours.has(tag)) t.ok(code.includes('/') && /[ZD]/.test(code), `${tag.toString(16)} (${code}) kept only as Z or D`);
      else t.pass(`${tag.toString(16)} removed upstream and here`);
    }

    // Attributes PS3.15 does not list are kept by both.
    const keptUpstream = [...expected].filter((tag) => before.has(tag) && !((tag >>> 16) & 1) && !profileRow(tag));
    t.ok(keptUpstream.length > 5);
    for (const tag of keptUpstream) t.ok(ours.has(tag), `${tag.toString(16)} kept upstream and here`);

    const privateIn = [...before].filter((tag) => (tag >>> 16) & 1);
    t.ok(privateIn.length > 0 || name !== 'privateTag.dcm', 'privateTag.dcm has private tags');
    t.same([...ours].filter((tag) => (tag >>> 16) & 1), [], 'no private tag left');
  });
}
