// PS3.15 keeps the attributes its table does not list, unread. A writer can
// copy the patient's name or ID into any of them (a segment's label, a
// manufacturer's name, a code's meaning inside a structured report), and the
// profile removes those very values elsewhere in the same instance: found by
// planting the patient's values into every text element of the shared
// samples. They are replaced by [CTX] there; institution, station and study
// numbers are not looked for (a manufacturer or a code may share their words).
import t from 'tap';
import { withoutContextValues } from '../../../src/dicom/profile/context-in-kept-text.js';
import { deid, parseAny } from './helpers.js';
import { ctInstance, el, item } from '../raw-elements.js';

const ctx = (...values: string[]) => values.map((value) => ({ value, infoType: 'CTX' }));

t.test('withoutContextValues: whole words in any case, longest first, cut to the VR', async (t) => {
  t.equal(withoutContextValues('Liver Quenby ZYXWOOD, MRN 4455667', 'LO', ctx('Zyxwood', 'Quenby', '4455667')), 'Liver [CTX] [CTX], MRN [CTX]');
  t.equal(withoutContextValues('Zyxwoods and 44556678', 'LO', ctx('Zyxwood', '4455667')), undefined, 'a part of a longer word or number is not the value');
  t.equal(withoutContextValues('by Quenby Zyxwood', 'LO', ctx('Zyxwood', 'Quenby Zyxwood')), 'by [CTX]', 'the full name wins over its part');
  t.equal(withoutContextValues('S/N a.b*c (d) x', 'LT', ctx('a.b*c (d)')), 'S/N [CTX] x', 'characters a pattern would read are matched as written');
  t.equal(withoutContextValues('aXb', 'LT', ctx('a.b')), undefined, 'a dot is a dot');
  t.equal(withoutContextValues('Ann Ann Ann Ann', 'SH', ctx('Ann')), '[CTX] [CTX]', 'an SH stays within 16 characters, with no part of a placeholder');
  t.equal(withoutContextValues('nothing here', 'LO', []), undefined);
  t.equal(withoutContextValues('ACC4455667 for ZyxwoodQ', 'LO', ctx('4455667', 'Zyxwood')), 'ACC[CTX] for ZyxwoodQ', 'a number of six digits or more where letters touch it; a word only whole');
  t.equal(withoutContextValues('ID12345 x', 'LO', ctx('12345')), undefined, 'a shorter number only whole');
  const many = `${'a'.repeat(60)}\\Ann Ann Ann Ann Ann Ann Ann Ann Ann Ann Ann\\${'b'.repeat(60)}`;
  const cutMiddle = Array(10).fill('[CTX]').join(' '); // 11 placeholders are 65 characters: the last one goes
  t.equal(withoutContextValues(many, 'LO', ctx('Ann')), `${'a'.repeat(60)}\\${cutMiddle}\\${'b'.repeat(60)}`, 'an LO is cut value by value');
  t.equal(withoutContextValues('a\\Ann', 'ST', ctx('Ann')), 'a\\[CTX]', 'in an ST a backslash is a character');
});

t.test("the patient's name and ID in attributes the table does not list are replaced", async (t) => {
  const input = ctInstance([
    el(0x00080070, 'LO', 'Acme Zyxwood'), // Manufacturer
    el(0x00081090, 'LO', 'Model MRN-1'), // ManufacturerModelName (the patient's ID is MRN-1)
    el(0x00181251, 'SH', 'ZYXWOOD'), // TransmitCoilName
    el(0x00620002, 'SQ', item(Buffer.concat([el(0x00620005, 'LO', 'Liver of Quenby Zyxwood')]))), // SegmentSequence > SegmentLabel
  ], { patientName: 'Zyxwood^Quenby' });
  const { bytes, counts } = await deid(input);
  t.notMatch(bytes.toString('latin1'), /Zyxwood|ZYXWOOD|Quenby|MRN-1/);
  const ds = parseAny(bytes);
  t.equal(ds.string('x00080070'), 'Acme [CTX]');
  t.equal(ds.string('x00081090'), 'Model [CTX]');
  t.equal(ds.string('x00181251'), '[CTX]');
  t.equal(ds.elements.x00620002?.items?.[0]?.dataSet?.string('x00620005'), 'Liver of [CTX] [CTX]');
  t.equal(counts.get('Manufacturer: cleaned'), 1);
});

t.test("the name written as one word and the ID touched by letters are the patient's values too", async (t) => {
  const input = ctInstance([
    el(0x00080070, 'LO', 'Acme ZyxwoodQuenby'), // Manufacturer
    el(0x00181020, 'LO', 'v5 MRN4455667'), // SoftwareVersions
    el(0x00281055, 'LO', 'quenbyzyxwood\\W2 ID4455667'), // WindowCenterWidthExplanation
  ], { patientName: 'Zyxwood^Quenby', patientId: '4455667' });
  const { bytes } = await deid(input);
  t.notMatch(bytes.toString('latin1'), /Zyxwood|Quenby|4455667/i);
  const ds = parseAny(bytes);
  t.equal(ds.string('x00080070'), 'Acme [CTX]');
  t.equal(ds.string('x00181020'), 'v5 MRN[CTX]');
  t.equal(ds.string('x00281055'), '[CTX]\\W2 ID[CTX]');
});

t.test('words of the institution or the station are not looked for; other values stay as written', async (t) => {
  const input = ctInstance([
    el(0x00080070, 'LO', 'TOSHIBA_MEC'), // Manufacturer
    el(0x00080080, 'LO', 'TOSHIBA'), // InstitutionName (removed by the profile)
    el(0x00081010, 'SH', 'CT01'), // StationName
    el(0x00181030, 'LO', 'CT01 head'), // ProtocolName
    el(0x00181251, 'SH', 'Body'), // TransmitCoilName
  ]);
  const { bytes } = await deid(input);
  const ds = parseAny(bytes);
  t.equal(ds.string('x00080070'), 'TOSHIBA_MEC');
  t.equal(ds.string('x00181251'), 'Body');
});
