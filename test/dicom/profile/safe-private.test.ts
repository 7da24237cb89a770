// Retain Safe Private (PS3.15 E.3.10) keeps exactly the private attributes
// Table E.3.10-1 lists under their own creator, on real GE samples; the table
// file is read here on its own and matched against the input with dicom-parser.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { ElementView } from '../../../src/dicom/edit.js';
import { profileRule, type InstanceEnv } from '../../../src/dicom/profile/engine.js';
import { NO_OPTIONS, type ProfileOptions } from '../../../src/dicom/profile/options.js';
import { applyExtension, defaultDicomPlan, type DicomPlan } from '../../../src/dicom/profile/plan.js';
import { ctInstance, el, item as rawItem } from '../raw-elements.js';
import { repoRoot, samplePath } from '../samples.js';
import { deid, parseAny, type DataSet } from './helpers.js';
import { facts, keyed } from './rule-helpers.js';

function withOptions(o: Partial<ProfileOptions>): DicomPlan {
  const plan = { ...defaultDicomPlan(), allowBurnedIn: true, options: { ...NO_OPTIONS } };
  applyExtension(plan, { options: o as Record<string, boolean> });
  return plan;
}

const table = JSON.parse(fs.readFileSync(path.join(repoRoot, 'data/dicom/safe-private-attributes.json'), 'utf8')) as {
  rows: { group: string; element: string; creator: string; vr: string }[];
};
const listed = new Set(table.rows.map((r) => `${r.group.toLowerCase()}|${r.creator}|${r.element.toLowerCase()}`));
const listedCreators = new Set(table.rows.map((r) => `${r.group.toLowerCase()}|${r.creator}`));

interface Priv { key: string; value: Buffer }

/** Top-level private elements of a dataset with the creator of each (dicom-parser's view). */
function privates(ds: DataSet): { creators: Map<string, string>; data: Map<string, { creator: string | undefined; value: Buffer }> } {
  const bytes = Buffer.from(ds.byteArray.buffer, ds.byteArray.byteOffset, ds.byteArray.length);
  const creators = new Map<string, string>();
  const data = new Map<string, { creator: string | undefined; value: Buffer }>();
  const keys = Object.keys(ds.elements).filter((k) => parseInt(k.slice(1, 5), 16) & 1);
  for (const k of keys) {
    const el = ds.elements[k]!;
    const value = bytes.subarray(el.dataOffset, el.dataOffset + el.length);
    const elNo = parseInt(k.slice(5), 16);
    if (elNo >= 0x10 && elNo <= 0xff) creators.set(k, ds.string(k) ?? '');
    else data.set(k, { creator: undefined, value });
  }
  for (const [k, d] of data) {
    const creatorKey = `x${k.slice(1, 5)}00${k.slice(5, 7)}`;
    d.creator = creators.get(creatorKey);
  }
  return { creators, data };
}

function expectedKept(ds: DataSet): { data: string[]; creators: string[] } {
  const p = privates(ds);
  const data = [...p.data].filter(([k, d]) => d.creator !== undefined && listed.has(`${k.slice(1, 5)}|${d.creator}|${k.slice(7, 9)}`)).map(([k]) => k);
  const creators = [...p.creators].filter(([k, v]) => listedCreators.has(`${k.slice(1, 5)}|${v}`)).map(([k]) => k);
  return { data: data.sort(), creators: creators.sort() };
}

for (const name of ['ts/CT1_UNC.explicit_little_endian.dcm', 'ts/CT1_UNC.implicit_little_endian.dcm', 'ts/CT1_UNC.explicit_big_endian.dcm', 'ts/CT_small.dcm']) {
  t.test(`${name}: the listed private attributes and their creators are kept byte for byte, nothing else private`, async (t) => {
    const input = fs.readFileSync(samplePath(name));
    const inDs = parseAny(input);
    const want = expectedKept(inDs);
    t.ok(want.data.length >= 4, `the sample has listed attributes (${want.data.length})`);
    t.ok(privates(inDs).data.size > want.data.length + 10, 'and many unlisted ones');
    const out = parseAny((await deid(input, { plan: withOptions({ retainSafePrivate: true }) })).bytes);
    const got = privates(out);
    t.same([...got.data.keys()].sort(), want.data, 'kept private data elements = the listed ones');
    t.same([...got.creators.keys()].sort(), want.creators, 'kept creators = the ones the table lists');
    const before = privates(inDs).data;
    for (const k of want.data) t.ok(got.data.get(k)!.value.equals(before.get(k)!.value), `${k} value unchanged`);
    const none = privates(parseAny((await deid(input)).bytes));
    t.equal(none.data.size + none.creators.size, 0, 'without the option every private attribute goes');
  });
}

t.test('the same elements under a creator the table does not list are removed, creator included', async (t) => {
  const input = Buffer.from(fs.readFileSync(samplePath('ts/CT1_UNC.explicit_little_endian.dcm')));
  const at = input.indexOf('GEMS_ACQU_01', 0, 'latin1');
  t.ok(at > 0);
  input.write('GEMS_ACQU_99', at, 'latin1');
  const inDs = parseAny(input);
  t.ok(privates(inDs).data.has('x00191023'), 'TableSpeed is still in the input');
  const out = privates(parseAny((await deid(input, { plan: withOptions({ retainSafePrivate: true }) })).bytes));
  t.notOk([...out.data.keys()].some((k) => k.startsWith('x0019')), 'no (0019,xxxx) left');
  t.notOk(out.creators.has('x00190010'), 'the unknown creator is removed');
  t.ok(out.data.has('x00431027'), 'other listed blocks are unaffected');
});

function view(tag: number, vr: string, value?: string): ElementView {
  return {
    tag, keyword: undefined, vr, length: value?.length ?? 0, kind: vr === 'SQ' ? 'sequence' : 'value',
    value: value === undefined ? undefined : Buffer.from(value, 'latin1'), isPrivate: ((tag >>> 16) & 1) === 1, bigEndian: false,
  };
}

t.test('a creator counts only in its own dataset or item; a block without creator is removed', async (t) => {
  const env: InstanceEnv = { plan: withOptions({ retainSafePrivate: true }), keyed, facts: facts(), shiftDays: 3, counts: new Map() };
  const rule = profileRule(env);
  const item = [{ tag: 0x00081140, item: 0 }];
  t.equal(rule(view(0x00190010, 'LO', 'GEMS_ACQU_01'), []), 'keep', 'listed creator kept');
  t.equal(rule(view(0x00191023, 'DS', '5.0'), []), 'keep', 'listed element in its block kept');
  t.equal(rule(view(0x00191023, 'DS', '5.0'), item), 'remove', 'the same tag in an item without that creator');
  t.equal(rule(view(0x00191123, 'DS', '5.0'), []), 'remove', 'block 0x11 has no creator');
  t.equal(rule(view(0x00191024, 'LO', 'DOE^JOHN'), [{ tag: 0x00081140, item: 1 }]), 'remove');
  t.equal(rule(view(0x00190011, 'LO', 'GEMS_ACQU_01'), item), 'keep', 'a creator inside an item');
  t.equal(rule(view(0x00191123, 'DS', '5.0'), item), 'keep', 'then its block in that item');
  t.equal(rule(view(0x00191123, 'DS', '5.0'), [{ tag: 0x00081140, item: 1 }]), 'remove', 'but not in the next item');
  t.equal(rule(view(0x00191028, 'SQ'), []), 'remove', 'an unlisted private sequence is removed, not descended');
  t.equal(rule(view(0x00190012, 'LO', 'SIEMENS MR HEADER'), []), 'keep');
  t.equal(rule(view(0x0019120e, 'FD'), []), 'keep', 'listed for SIEMENS MR HEADER in block 0x12');
  t.equal(rule(view(0x00191223, 'DS', '5.0'), []), 'remove', 'listed for GEMS_ACQU_01, not for this creator');
});

t.test('a listed UI value is replaced like any UID (unless UIDs are retained)', async (t) => {
  const uid = '1.2.840.99999.1.2.3';
  for (const [opts, changed] of [[{ retainSafePrivate: true }, true], [{ retainSafePrivate: true, retainUIDs: true }, false]] as const) {
    const rule = profileRule({ plan: withOptions(opts), keyed, facts: facts(), shiftDays: 3, counts: new Map() });
    t.equal(rule(view(0x00990010, 'LO', 'NQHeader'), []), 'keep');
    const d = rule(view(0x00991002, 'UI', uid), []);
    if (changed) t.match(d, { replace: /^2\.25\.\d+$/ }, 'AnalyzedSeriesUID regenerated');
    else t.equal(d, 'keep', 'kept with Retain UIDs');
  }
});

t.test('a listed private attribute written under another VR than the table\'s, or holding text where a number belongs, is not kept', async (t) => {
  const plan = withOptions({ retainSafePrivate: true });
  const env: InstanceEnv = { plan, keyed, facts: facts(), shiftDays: 0, counts: new Map() };
  const rule = profileRule(env);
  const view = (tag: number, vr: string, value: string): ElementView => ({
    tag, keyword: undefined, vr, length: value.length, kind: 'value', value: Buffer.from(value, 'latin1'), isPrivate: true, bigEndian: false,
  });
  // (0045,xx02) GEMS_HELIOS_01 is FL in Table E.3.10-1; (7053,xx00) Philips PET Private Group is DS.
  t.equal(rule(view(0x00450010, 'LO', 'GEMS_HELIOS_01'), []), 'keep', 'the creator');
  t.equal(rule(view(0x00451002, 'FL', '\0\0\x80?'), []), 'keep', 'an FL as the table says');
  t.equal(rule(view(0x00451002, 'LO', 'Jane Doe'), []), 'remove', 'text under LO where the table says FL');
  t.equal(rule(view(0x70530010, 'LO', 'Philips PET Private Group'), []), 'keep');
  t.equal(rule(view(0x70531000, 'DS', '1.5'), []), 'keep');
  const d = rule(view(0x70531000, 'DS', 'Jane Doe'), []);
  t.same(d !== 'keep' && d !== 'remove' ? d.replace.length : d, 0, 'a DS that is no number is emptied');
  const u = rule(view(0x70531000, 'UN', 'Jane Doe'), []);
  t.same(u !== 'keep' && u !== 'remove' ? u.replace.length : u, 0, 'the same under UN (implicit VR): read as the table\'s VR');
});

t.test('a listed private text value is cleaned like any cleaned text: the patient\'s name written into it goes', async (t) => {
  const input = ctInstance(
    [
      // HOLOGIC, Inc. (7E01,xx01) Codec Version LO and (7E01,xx10) High Resolution Data Sequence are listed in Table E.3.10-1.
      el(0x7e010010, 'LO', 'HOLOGIC, Inc.'),
      el(0x7e011001, 'LO', 'v2 for Zyxwvut'),
      el(0x7e011010, 'SQ', rawItem(Buffer.concat([el(0x7e010010, 'LO', 'HOLOGIC, Inc.'), el(0x7e011001, 'LO', 'Planted 1.0')]))),
    ],
    { patientName: 'Zyxwvut^Planted' },
  );
  const { bytes } = await deid(input, { plan: withOptions({ retainSafePrivate: true, retainLongModifiedDates: true }) });
  t.notOk(bytes.includes('Zyxwvut'), 'name gone from the top-level listed value');
  t.notOk(bytes.includes('Planted'), 'and from the one in the listed sequence');
  const ds = parseAny(bytes);
  t.match(ds.string('x7e011001'), /^v2 for /, 'the rest of the value kept');
  t.equal(ds.string('x7e010010'), 'HOLOGIC, Inc.', 'creator kept');
  t.match(ds.elements.x7e011010?.items?.[0]?.dataSet?.string('x7e011001'), / 1\.0$/, 'value in the sequence kept, cleaned');
});
