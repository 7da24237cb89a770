// A config that transforms only some infoTypes: a finding of one it names is
// transformed even where a finding of an unnamed infoType overlaps it (the
// overlap rule typed the cluster by its best finding, and a cluster of an
// unnamed type was left as it was, the named finding inside it too).
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { parseConfig } from '../../src/config/load-config.js';
import { deidentifyText } from '../../src/text/deidentify-text.js';
import { findPhi, resolveOverlaps } from '../../src/text/find-phi.js';
import type { Finding } from '../../src/text/types.js';
import { sharedData } from '../helpers/run-cli.js';
import { env } from './transformations.js';

const naming = (infoTypes: string[], action: Record<string, unknown> = { replaceWithInfoTypeConfig: {} }) =>
  parseConfig({ text: { transformations: [{ infoTypes, ...action }] } }).text;

t.test('a named finding overlapped by a better unnamed one is still transformed', async (t) => {
  const phone = naming(['PHONE_NUMBER']);
  // the MRN detector's finding (VERY_LIKELY) covers the phone number's (LIKELY)
  t.same(findPhi('MRN 410-555-1234 called').map((f) => f.infoType), ['MEDICAL_RECORD_NUMBER']);
  t.equal(deidentifyText('MRN 410-555-1234 called', phone, env).text, 'MRN [PHONE_NUMBER] called');
  // a phone number inside an e-mail address the config does not name
  t.equal(deidentifyText('Contact: 4105551234@example.com', phone, env).text, 'Contact: [PHONE_NUMBER]@example.com');
  t.equal(deidentifyText('Call John at 410-555-1234 or john.smith@example.com', phone, env).text, 'Call John at [PHONE_NUMBER] or john.smith@example.com', 'unnamed findings alone stay');
});

t.test('resolveOverlaps: a cluster led by an untransformed finding is resolved again without it', async (t) => {
  const f = (start: number, end: number, infoType: string, likelihood: Finding['likelihood']): Finding => ({ start, end, infoType, likelihood });
  const named = (x: string) => x !== 'U';
  const u = f(0, 20, 'U', 'VERY_LIKELY');
  t.same(resolveOverlaps([u, f(2, 6, 'A', 'LIKELY'), f(10, 14, 'B', 'POSSIBLE')], undefined, named), [f(2, 6, 'A', 'LIKELY'), f(10, 14, 'B', 'POSSIBLE')]);
  t.same(resolveOverlaps([u, f(2, 6, 'A', 'LIKELY'), f(5, 9, 'B', 'POSSIBLE')], undefined, named), [f(2, 9, 'A', 'LIKELY')], 'named findings that overlap still merge');
  t.same(resolveOverlaps([u, f(25, 30, 'U', 'LIKELY')], undefined, named), [u, f(25, 30, 'U', 'LIKELY')], 'nothing named: as before');
  const kept = f(1, 8, 'K', 'LIKELY');
  t.same(resolveOverlaps([u, kept, f(2, 6, 'A', 'POSSIBLE')], new Set([kept]), named), [], 'an excluded finding still claims its span');
  t.same(resolveOverlaps([f(0, 5, 'A', 'VERY_LIKELY'), f(3, 9, 'U', 'LIKELY')], undefined, named), [f(0, 9, 'A', 'VERY_LIKELY')], 'a named best finding takes the cluster as before');
});

t.test('real sentences: every finding of the one infoType a config names is masked', async (t) => {
  const data = JSON.parse(fs.readFileSync(path.join(sharedData, 'text-phi/presidio-research/synth_dataset_v2.json'), 'utf8')) as Array<{ full_text: string }>;
  const texts = data.slice(0, 600).map((d) => d.full_text);
  let overlapped = 0;
  for (const infoType of ['PHONE_NUMBER', 'PERSON_NAME', 'DATE', 'LOCATION', 'STREET_ADDRESS', 'US_SOCIAL_SECURITY_NUMBER']) {
    const cfg = naming([infoType], { characterMaskConfig: { maskingCharacter: '\u0000' } });
    for (const text of texts) {
      const own = findPhi(text, { infoTypes: [infoType] });
      if (own.length === 0) continue;
      const out = deidentifyText(text, cfg, env).text;
      const all = findPhi(text);
      for (const f of own) {
        if (!all.some((a) => a.start < f.end && f.start < a.end && a.infoType !== infoType)) continue;
        overlapped++;
        // a mask keeps the text's length (these sentences have no astral characters)
        const masked = [...out.slice(f.start, f.end)].every((c, i) => c === '\u0000' || /\s/.test(text[f.start + i]!));
        if (!masked) t.fail(`${infoType} at ${f.start}-${f.end} left unmasked`);
      }
    }
  }
  t.ok(overlapped > 10, `${overlapped} findings overlapped by another infoType's`);
});
