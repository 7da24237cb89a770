// PatientIdentityRemoved, DeidentificationMethod and its CID 7050 code
// sequence are inserted in tag order, in the dataset's own encoding.
import path from 'node:path';
import t from 'tap';
import { NO_OPTIONS, OPTION_CODE } from '../../../src/dicom/profile/options.js';
import { defaultDicomPlan } from '../../../src/dicom/profile/plan.js';
import { samplePath } from '../samples.js';
import { deid, msftDicom, parseWithOracle } from './helpers.js';

const SAMPLES = [
  'ts/CT_small.dcm', // explicit VR LE
  'ts/MR_small_implicit.dcm', // implicit VR LE
  'ts/MR_small_bigendian.dcm', // explicit VR BE
  'ts/report_dfl.dcm', // deflated
  'encapsulated/MR_small_RLE.dcm', // encapsulated
  'sequences-private/nested_priv_SQ.dcm', // raw dataset with sequences
];

function topLevelTags(ds: ReturnType<typeof parseWithOracle>): number[] {
  return Object.keys(ds.elements)
    .map((k) => parseInt(k.slice(1), 16) >>> 0)
    .filter((tag) => tag >>> 16 !== 0x0002);
}

for (const name of SAMPLES) {
  t.test(name, async (t) => {
    const { bytes } = await deid(samplePath(name));
    const ds = parseWithOracle(bytes);
    t.equal(ds.string('x00120062'), 'YES', 'PatientIdentityRemoved');
    t.match(ds.string('x00120063') ?? '', /^deid PS3\.15 basic/, 'DeidentificationMethod');
    const items = ds.elements.x00120064?.items ?? [];
    const codes = items.map((i) => i.dataSet!.string('x00080100'));
    t.same(codes, ['113100', OPTION_CODE.retainLongModifiedDates.code], 'basic profile + modified dates');
    t.ok(items.every((i) => i.dataSet!.string('x00080102') === 'DCM'), 'coding scheme DCM');
    const tags = topLevelTags(ds);
    t.same(tags, [...tags].sort((a, b) => a - b), 'top level still in ascending tag order');
  });
}

t.test('codes follow the options applied', async (t) => {
  const plan = {
    ...defaultDicomPlan(),
    allowBurnedIn: true,
    options: { ...NO_OPTIONS, retainUIDs: true, cleanDescriptors: true, retainPatientCharacteristics: true },
    regenerateUids: false,
  };
  const { bytes } = await deid(samplePath('ts/CT_small.dcm'), { plan });
  const items = parseWithOracle(bytes).elements.x00120064?.items ?? [];
  t.same(items.map((i) => i.dataSet!.string('x00080100')).sort(), ['113100', '113105', '113108', '113110']);
});

t.test('method attributes already in the input are replaced, not duplicated', async (t) => {
  const input = path.join(msftDicom, 'samples/I290.dcm');
  const before = parseWithOracle(await import('node:fs').then((fs) => fs.readFileSync(input)));
  t.ok(before.elements.x00120062, 'the input was marked by another tool');
  const { bytes } = await deid(input);
  const text = bytes.toString('latin1');
  t.equal(text.split('\x12\x00\x62\x00').length - 1, 1, 'one (0012,0062)');
  t.equal(text.split('\x12\x00\x63\x00').length - 1, 1, 'one (0012,0063)');
  const ds = parseWithOracle(bytes);
  t.equal(ds.string('x00120062'), 'YES');
  t.match(ds.string('x00120063') ?? '', /^deid/);
});

t.test('a Google profile other than basic writes no CID 7050 code', async (t) => {
  const plan = { ...defaultDicomPlan(), allowBurnedIn: true, base: 'KEEP_ALL' as const };
  const ds = parseWithOracle((await deid(samplePath('ts/CT_small.dcm'), { plan })).bytes);
  t.equal(ds.string('x00120062'), 'YES');
  t.equal(ds.elements.x00120064, undefined);
});
