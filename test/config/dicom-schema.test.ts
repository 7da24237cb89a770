import t from 'tap';
import { parseConfig } from '../../src/config/load-config.js';
import type { DicomPart } from '../../src/config/normalize-dicom.js';
import { DICOM_TAG_ACTIONS, DICOM_TAG_PROFILE_TYPES, DICOM_FILTER_PROFILES } from '../../src/config/schema.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedData } from './helpers/typed-paths.js';

t.test('v1 dicom: keep/remove lists by keyword or tag, filter profiles', async (t) => {
  for (const p of DICOM_FILTER_PROFILES) t.doesNotThrow(() => parseConfig({ dicom: { filterProfile: p } }), p);
  const c = parseConfig({ dicom: { removeList: { tags: ['PatientName', '00100020', '0010002a'] }, skipIdRedaction: false } });
  t.same((c.dicom as DicomPart).config, { removeList: { tags: ['PatientName', '00100020', '0010002a'] }, skipIdRedaction: false });
  t.throws(() => parseConfig({ dicom: { keepList: { tags: ['(0010,0010)'] } } }), /dicom\.keepList\.tags\[0\]: must be a tag/);
  t.throws(() => parseConfig({ dicom: { keepList: {} } }), /dicom\.keepList\.tags: is required/);
  t.throws(() => parseConfig({ dicom: { filterProfile: 'BASIC' } }), /dicom\.filterProfile: must be one of TAG_FILTER_PROFILE_UNSPECIFIED/);
  t.throws(() => parseConfig({ dicom: { skipIdRedaction: 1 } }), /dicom\.skipIdRedaction: must be a boolean/);
});

t.test('v1beta1 dicomTagConfig: every action, profile and option', async (t) => {
  for (const p of DICOM_TAG_PROFILE_TYPES) t.doesNotThrow(() => parseConfig({ dicomTagConfig: { profileType: p } }), p);
  for (const a of DICOM_TAG_ACTIONS) {
    const c = parseConfig({ dicomTagConfig: { actions: [{ queries: ['PatientName', '00100010', 'PN'], [a]: {} }] } });
    t.ok(a in ((c.dicom as DicomPart).config as { actions: Record<string, unknown>[] }).actions[0]!, a);
  }
  t.doesNotThrow(() =>
    parseConfig({ dicomTagConfig: { options: { primaryIds: 'KEEP', cleanDescriptors: {}, cleanImage: { textRedactionMode: 'REDACT_SENSITIVE_TEXT', additionalInfoTypes: ['PERSON_NAME'], excludeInfoTypes: ['DATE'] } } } }),
  );
  t.throws(() => parseConfig({ dicomTagConfig: { actions: [{ queries: [], keepTag: {} }] } }), /dicomTagConfig\.actions\[0\]\.queries: must list at least one query/);
  t.throws(() => parseConfig({ dicomTagConfig: { actions: [{ queries: ['Patient Name'], keepTag: {} }] } }), /dicomTagConfig\.actions\[0\]\.queries\[0\]: must be a tag ID/);
  t.throws(() => parseConfig({ dicomTagConfig: { actions: [{ queries: ['PN'], cleanImageTag: { mode: 'x' } }] } }), /cleanImageTag\.mode: unknown key/);
  t.throws(() => parseConfig({ dicomTagConfig: { options: { cleanDescriptors: true } } }), /dicomTagConfig\.options\.cleanDescriptors: must be an object/);
});

t.test('every tag, keyword and VR of the PS3.6 dictionary (shared data) is accepted', async (t) => {
  const dict = JSON.parse(readFileSync(path.join(sharedData, 'dicom-standard/dictionary.compact.json'), 'utf8')) as Record<string, unknown>;
  const entries = Object.entries(dict).filter(([k]) => /^[0-9A-F]{8}$/.test(k)) as [string, string[]][];
  t.ok(entries.length > 5000, `${entries.length} dictionary entries`);
  const tags = entries.map(([k]) => k);
  const keywords = entries.map(([, v]) => v[0]!).filter((k) => k.length > 0);
  const vrs = [...new Set(entries.map(([, v]) => v[1]!).filter((vr) => /^[A-Z]{2}$/.test(vr)))];
  t.ok(vrs.includes('PN') && vrs.includes('SQ') && vrs.includes('UI'));
  const c = parseConfig({ dicom: { keepList: { tags: [...tags, ...keywords] } } });
  t.equal(((c.dicom as DicomPart).config as { keepList: { tags: string[] } }).keepList.tags.length, tags.length + keywords.length);
  t.doesNotThrow(() => parseConfig({ dicomTagConfig: { actions: [{ queries: [...tags, ...keywords, ...vrs], cleanTextTag: {} }] } }));
  // Wildcard masks (60XX3000) are not single tags.
  const masks = Object.keys((dict as { _masks: Record<string, unknown> })._masks);
  t.ok(masks.length > 0);
  t.throws(() => parseConfig({ dicom: { keepList: { tags: [masks[0]!] } } }), /must be a tag/);
});
