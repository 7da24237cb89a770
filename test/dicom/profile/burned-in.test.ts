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

t.test('photographs and intra-oral images by modality; US, SC, XA and VL images by SOP class whatever the modality', async (t) => {
  for (const m of ['XC', 'OP', 'IO']) t.ok(burnedInReason({ modality: m, burnedInAnnotation: 'NO', conversionType: '' }), m);
  const sc = '1.2.840.10008.5.1.4.1.1.7';
  t.match(burnedInReason({ modality: '', burnedInAnnotation: '', conversionType: '', sopClassUid: sc }), /Secondary Capture/);
  t.match(burnedInReason({ modality: 'NM', burnedInAnnotation: 'NO', conversionType: '', sopClassUid: '1.2.840.10008.5.1.4.1.1.6.1' }), /Ultrasound/);
  t.match(burnedInReason({ modality: '', burnedInAnnotation: '', conversionType: '', metaSopClassUid: '1.2.840.10008.5.1.4.1.1.77.1.4' }), /VL Photographic/, 'from the file meta when the dataset has none');
  t.equal(burnedInReason({ modality: '', burnedInAnnotation: '', conversionType: '', sopClassUid: '1.2.840.10008.5.1.4.1.1.2' }), undefined, 'a CT image');
});

t.test('shared secondary captures without a risky Modality are quarantined by default', async (t) => {
  // No Modality (JPEGLSNearLossless_08) or Modality NM on a Secondary Capture Image.
  for (const f of ['encapsulated/JPEGLSNearLossless_08.dcm', 'encapsulated/JPEG2000.dcm', 'encapsulated/JPGExtended.dcm']) {
    await t.rejects(deid(samplePath(f), { plan: defaultDicomPlan() }), { code: 'DICOM_BURNED_IN' }, f);
  }
});
