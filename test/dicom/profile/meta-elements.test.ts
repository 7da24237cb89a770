// The file meta of de-identified output: deid's implementation fields, and the
// sending/receiving devices' AE titles and addresses removed unless Retain
// Device Identity (PS3.15 E.3.9 note 5: the meta is replaced on de-identification).
import t from 'tap';
import { DEID_IMPLEMENTATION_CLASS_UID, DEID_IMPLEMENTATION_VERSION_NAME } from '../../../src/dicom/profile/meta-elements.js';
import { NO_OPTIONS, type ProfileOptions } from '../../../src/dicom/profile/options.js';
import { applyExtension, defaultDicomPlan, type DicomPlan } from '../../../src/dicom/profile/plan.js';
import { parseMetaWithOracle } from '../oracle.js';
import { readSample, roundTrip } from '../tokenize-helpers.js';
import { deid } from './helpers.js';

function withOptions(o: Partial<ProfileOptions>, base: DicomPlan['base'] = 'BASIC'): DicomPlan {
  const plan = { ...defaultDicomPlan(), base, allowBurnedIn: true, options: { ...NO_OPTIONS } };
  applyExtension(plan, { options: o as Record<string, boolean> });
  return plan;
}

const DEVICE = { x00020016: 'SRC_AE', x00020017: 'SENDING_AE', x00020018: 'RECEIVING_AE', x00020026: 'http://source.example/', x00020027: 'http://sender.example/', x00020028: 'http://receiver.example/' };

/** CT1_UNC (which has SourceApplicationEntityTitle CLUNIE1) with every device and private meta element set. */
async function fullMeta(): Promise<Buffer> {
  const metaElements = new Map<number, string | null>(Object.entries(DEVICE).map(([k, v]) => [parseInt(k.slice(1), 16), v]));
  metaElements.set(0x00020100, '1.2.3.4.5.6');
  return roundTrip(readSample('ts/CT1_UNC.explicit_little_endian.dcm'), { writer: { metaElements } });
}

t.test('the sample carries a SourceApplicationEntityTitle', async (t) => {
  t.equal(parseMetaWithOracle(readSample('ts/CT1_UNC.explicit_little_endian.dcm')).string('x00020016'), 'CLUNIE1');
});

t.test('basic profile: implementation fields are deid\'s, device and private meta elements are gone', async (t) => {
  const input = await fullMeta();
  const inMeta = parseMetaWithOracle(input);
  for (const [k, v] of Object.entries(DEVICE)) t.equal(inMeta.string(k), v, `input has ${k}`);
  const meta = parseMetaWithOracle((await deid(input, { plan: withOptions({}) })).bytes);
  t.equal(meta.string('x00020012'), DEID_IMPLEMENTATION_CLASS_UID);
  t.equal(meta.string('x00020013'), DEID_IMPLEMENTATION_VERSION_NAME);
  for (const k of [...Object.keys(DEVICE), 'x00020100']) t.equal(meta.elements[k], undefined, `${k} removed`);
  t.equal(meta.string('x00020002'), inMeta.string('x00020002'), 'SOP class kept');
  t.equal(meta.string('x00020010'), inMeta.string('x00020010'), 'transfer syntax kept');
});

t.test('Retain Device Identity keeps the device elements (not the private ones); keep-all keeps everything but the implementation', async (t) => {
  const input = await fullMeta();
  const kept = parseMetaWithOracle((await deid(input, { plan: withOptions({ retainDeviceIdentity: true }) })).bytes);
  for (const [k, v] of Object.entries(DEVICE)) t.equal(kept.string(k), v, `${k} kept`);
  t.equal(kept.elements.x00020100, undefined, 'private meta information still removed');
  const all = parseMetaWithOracle((await deid(input, { plan: withOptions({}, 'KEEP_ALL') })).bytes);
  for (const [k, v] of Object.entries(DEVICE)) t.equal(all.string(k), v, `${k} kept by keep-all`);
  t.equal(all.string('x00020100'), '1.2.3.4.5.6');
  t.equal(all.string('x00020012'), DEID_IMPLEMENTATION_CLASS_UID, 'deid wrote the file');
});
