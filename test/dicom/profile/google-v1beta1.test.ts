// Google v1beta1 `dicomTagConfig`: profileType, options, and actions that
// override them, first matching action wins.
import fs from 'node:fs';
import t from 'tap';
import { parseConfig } from '../../../src/config/load-config.js';
import { isDicomPart } from '../../../src/config/normalize-dicom.js';
import { dicomPlanFrom, type DicomPlan } from '../../../src/dicom/profile/plan.js';
import { samplePath } from '../samples.js';
import { deid, parseAny } from './helpers.js';
import { decide, keyed, text } from './rule-helpers.js';

function plan(dicomTagConfig: unknown): DicomPlan {
  const c = parseConfig({ dicomTagConfig });
  const p = dicomPlanFrom(isDicomPart(c.dicom) ? c.dicom : undefined);
  p.allowBurnedIn = true;
  return p;
}

const CT = samplePath('ts/CT_small.dcm');
const ctIn = parseAny(fs.readFileSync(CT));

t.test('actions override the profile: keep, delete, remove (empty), reset (dummy), regenUid, cleanText', async (t) => {
  const p = plan({
    profileType: 'ATTRIBUTE_CONFIDENTIALITY_BASIC_PROFILE',
    actions: [
      { queries: ['PatientName'], keepTag: {} },
      { queries: ['00080070'], deleteTag: {} },
      { queries: ['StationName'], removeTag: {} },
      { queries: ['InstitutionName'], resetTag: {} },
      { queries: ['ImageComments'], cleanTextTag: {} },
    ],
  });
  const out = parseAny((await deid(CT, { plan: p })).bytes);
  t.equal(out.string('x00100010'), ctIn.string('x00100010'), 'keepTag keeps a Z attribute');
  t.equal(out.elements.x00080070, undefined, 'deleteTag deletes Manufacturer (kept by the profile)');
  t.equal(out.elements.x00081010?.length, 0, 'removeTag empties');
  t.equal(out.string('x00080080'), 'ANONYMIZED', 'resetTag writes a placeholder');
  t.ok(out.elements.x00204000, 'cleanTextTag keeps ImageComments (X in the profile) and cleans it');
});

t.test('queries by VR; the first matching action wins', async (t) => {
  const p = plan({
    profileType: 'KEEP_ALL_PROFILE',
    actions: [
      { queries: ['PatientName'], keepTag: {} },
      { queries: ['PN'], deleteTag: {} },
    ],
  });
  t.equal(decide(p, 'PatientName', 'PN', 'Doe^Jane'), 'keep');
  t.equal(decide(p, 'ReferringPhysicianName', 'PN', 'Roe^Rick'), 'remove');
  const q = plan({ profileType: 'KEEP_ALL_PROFILE', actions: [{ queries: ['PN'], deleteTag: {} }, { queries: ['PatientName'], keepTag: {} }] });
  t.equal(decide(q, 'PatientName', 'PN', 'Doe^Jane'), 'remove', 'order decides');
});

t.test('keepTag on a sequence keeps its content untouched; recurseTag de-identifies inside', async (t) => {
  const keepSeq = plan({ actions: [{ queries: ['OtherPatientIDsSequence'], keepTag: {} }] });
  const path = [{ tag: 0x00101002, item: 0 }];
  t.equal(decide(keepSeq, 'OtherPatientIDsSequence', 'SQ', undefined), 'keep');
  t.equal(decide(keepSeq, 'PatientID', 'LO', 'OTHER-1', { path }), 'keep', 'nested value kept');
  const rec = plan({ actions: [{ queries: ['OtherPatientIDsSequence'], recurseTag: {} }] });
  t.equal(decide(rec, 'OtherPatientIDsSequence', 'SQ', undefined), 'keep', 'sequence kept');
  t.equal(text(decide(rec, 'PatientID', 'LO', 'OTHER-1', { path })), keyed.identifier('OTHER-1'), 'nested value de-identified');
});

t.test('regenUidTag on a KEEP_ALL profile with primaryIds KEEP', async (t) => {
  const p = plan({ profileType: 'KEEP_ALL_PROFILE', options: { primaryIds: 'KEEP' }, actions: [{ queries: ['FrameOfReferenceUID'], regenUidTag: {} }] });
  t.equal(decide(p, 'SOPInstanceUID', 'UI', '1.2.3.4'), 'keep');
  t.equal(decide(p, 'StudyInstanceUID', 'UI', '1.2.3'), 'keep');
  t.equal(text(decide(p, 'FrameOfReferenceUID', 'UI', '1.2.3.9')), keyed.uid('1.2.3.9'), 'an explicit regenUidTag still applies');
  const r = plan({ profileType: 'KEEP_ALL_PROFILE', actions: [{ queries: ['FrameOfReferenceUID'], regenUidTag: {} }] });
  t.equal(text(decide(r, 'FrameOfReferenceUID', 'UI', '1.2.3.9')), keyed.uid('1.2.3.9'));
});

t.test('options.cleanDescriptors turns on Clean Descriptors', async (t) => {
  const p = plan({ profileType: 'ATTRIBUTE_CONFIDENTIALITY_BASIC_PROFILE', options: { cleanDescriptors: {} } });
  t.ok(p.options.cleanDescriptors);
  t.equal(decide(p, 'StudyDescription', 'LO', 'CHEST'), 'keep');
});

t.test('a VR query and an unknown keyword', async (t) => {
  t.same([...plan({ actions: [{ queries: ['PN', 'DA'], deleteTag: {} }] }).actions[0]!.vrs], ['PN', 'DA']);
  t.throws(() => plan({ actions: [{ queries: ['NotAKeyword'], deleteTag: {} }] }), { code: 'CONFIG_INVALID' });
});
