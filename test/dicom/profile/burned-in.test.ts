// Instances that may carry burned-in text are quarantined unless allowed.
import t from 'tap';
import { burnedInReason } from '../../../src/dicom/profile/burned-in.js';
import { defaultDicomPlan } from '../../../src/dicom/profile/plan.js';
import { sampleFiles, samplePath } from '../samples.js';
import { deid } from './helpers.js';

t.test('the decision', async (t) => {
  t.match(burnedInReason({ modality: 'CT', burnedInAnnotation: 'YES', conversionType: '' }), /BurnedInAnnotation/);
  for (const m of ['US', 'SC', 'OT', 'XA', 'ES']) t.ok(burnedInReason({ modality: m, burnedInAnnotation: 'NO', conversionType: '' }), m);
  t.ok(burnedInReason({ modality: 'CT', burnedInAnnotation: '', conversionType: 'WSD' }), 'screen capture');
  t.equal(burnedInReason({ modality: 'CT', burnedInAnnotation: 'NO', conversionType: '' }), undefined);
  t.equal(burnedInReason({ modality: 'MR', burnedInAnnotation: '', conversionType: '' }), undefined);
});

const burned = sampleFiles().filter((f) => f.startsWith('us-burned-in/'));

t.test('every us-burned-in sample is quarantined by default', async (t) => {
  t.ok(burned.length >= 3);
  for (const f of burned) {
    await t.rejects(deid(samplePath(f), { plan: defaultDicomPlan() }), { code: 'DICOM_BURNED_IN' }, f);
  }
});

t.test('and goes through when allowed', async (t) => {
  for (const f of burned) {
    const { bytes } = await deid(samplePath(f), { plan: { ...defaultDicomPlan(), allowBurnedIn: true } });
    t.ok(bytes.length > 0, f);
  }
});

t.test('a CT passes by default', async (t) => {
  const { bytes } = await deid(samplePath('ts/CT_small.dcm'), { plan: defaultDicomPlan() });
  t.ok(bytes.length > 0);
});
