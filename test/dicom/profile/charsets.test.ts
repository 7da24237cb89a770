// Text under every Specific Character Set (0008,0005) is read as the
// characters it encodes (PS3.5 6.1, PS3.3 C.12.1.1.2) before it is searched:
// a name taken out of PatientName must also leave a description that holds it
// in running text, which word boundaries in a misread (Latin-1) text hid.
// Byte strings are the charsets' own encodings of the text in the comment.
import t from 'tap';
import { NO_OPTIONS } from '../../../src/dicom/profile/options.js';
import { defaultDicomPlan } from '../../../src/dicom/profile/plan.js';
import { deid, parseAny } from './helpers.js';
import { CT_IMAGE_STORAGE, el, item, part10 } from '../raw-elements.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function instance(charset: string, name: Buffer, description: Buffer, more: Buffer[] = []): Buffer {
  return part10([
    el(0x00080005, 'CS', charset),
    el(0x00080016, 'UI', CT_IMAGE_STORAGE),
    el(0x00080018, 'UI', '1.2.3.4.5.6'),
    el(0x00080060, 'CS', 'CT'),
    el(0x00081030, 'LO', description),
    ...more,
    el(0x00100010, 'PN', name),
    el(0x00100020, 'LO', 'MRN-1'),
    el(0x0020000d, 'UI', '1.2.3.4'),
    el(0x0020000e, 'UI', '1.2.3.4.5'),
  ]);
}

const cleanPlan = () => ({ ...defaultDicomPlan(), allowBurnedIn: true, options: { ...NO_OPTIONS, retainLongModifiedDates: true, cleanDescriptors: true } });

async function description(input: Buffer): Promise<Buffer> {
  const { bytes } = await deid(input, { plan: cleanPlan() });
  const ds = parseAny(bytes);
  const e = ds.elements.x00081030;
  return e ? Buffer.from(bytes.subarray(e.dataOffset, e.dataOffset + e.length)) : Buffer.alloc(0);
}

const cases: Array<{ label: string; charset: string; name: Buffer; text: Buffer; gone: Buffer; kept: Buffer }> = [
  // 王小東 / 王小東检查 ("Wang Xiaodong's examination")
  { label: 'GB18030', charset: 'GB18030', name: hex('cdf5d0a1967c'), text: hex('cdf5d0a1967c bcecb2e9'), gone: hex('cdf5d0a1967c'), kept: hex('bcecb2e9') },
  // 王^小東: a one-character component is no context value, the given name is
  { label: 'GBK', charset: 'GBK', name: hex('cdf5 5e d0a1967c'), text: hex('cdf5d0a1967c bcecb2e9'), gone: hex('d0a1967c'), kept: hex('bcecb2e9') },
  // 김희중 / 김희중검사 (KS X 1001 in G1)
  { label: 'ISO 2022 IR 149', charset: '\\ISO 2022 IR 149', name: hex('1b242943 b1e8c8f1c1df'), text: hex('1b242943 b1e8c8f1c1df b0cbbbe7'), gone: hex('b1e8c8f1c1df'), kept: hex('b0cbbbe7') },
  // 山田^太郎 / 山田の検査 (JIS X 0208 in G0)
  { label: 'ISO 2022 IR 87', charset: '\\ISO 2022 IR 87', name: hex('1b2442 3b334544 1b2842 5e 1b2442 42404f3a 1b2842'), text: hex('1b2442 3b334544 244e 38213a3a 1b2842'), gone: hex('3b334544'), kept: hex('38213a3a') },
  // Иванов / Иванов обследование (a spaced script: the name is a word of its own)
  { label: 'ISO_IR 144', charset: 'ISO_IR 144', name: hex('b8d2d0ddded2'), text: hex('b8d2d0ddded2 20 bed1e1dbd5d4ded2d0ddd8d5'), gone: hex('b8d2d0ddded2'), kept: hex('bed1e1dbd5d4ded2d0ddd8d5') },
];

for (const c of cases) {
  t.test(`${c.label}: the patient's name is found in running text of a description, the rest is written back as it was`, async (t) => {
    const out = await description(instance(c.charset, c.name, c.text));
    t.equal(out.indexOf(c.gone), -1, 'the name is gone');
    t.not(out.indexOf(Buffer.from('[CTX]')), -1, 'in its place the infoType');
    t.not(out.indexOf(c.kept), -1, 'the other words are still there, in the same charset');
  });
}

t.test('ISO_IR 192: text that is not a name is written back as UTF-8, not as question marks', async (t) => {
  const name = Buffer.from('Müllerzz^Jürgen', 'utf8');
  const out = await description(instance('ISO_IR 192', name, Buffer.from('Études Müllerzz crâne', 'utf8')));
  t.equal(out.toString('utf8').trimEnd(), 'Études [CTX] crâne');
});

t.test('ISO_IR 144: text that is not a name is written back in ISO 8859-5', async (t) => {
  const out = await description(instance('ISO_IR 144', hex('b8d2d0ddded2'), hex('bed1e1dbd5d4ded2d0ddd8d5 20 b8d2d0ddded2')));
  // Обследование Иванов → Обследование [CTX]
  t.same(out.subarray(0, 13), Buffer.concat([hex('bed1e1dbd5d4ded2d0ddd8d5'), Buffer.from(' ')]));
  t.match(out.toString('latin1'), /\[CTX\]/);
});

t.test('a value the charset cannot decode is not kept unread: it is emptied', async (t) => {
  // 0xFF 0xFF is no GB18030 character: the detectors could not have read the text
  const out = await description(instance('GB18030', hex('cdf5d0a1967c'), hex('ffff 41')));
  t.equal(out.toString('latin1').trim(), '');
});

t.test('an unknown Specific Character Set: text with bytes outside ASCII is emptied, ASCII text is cleaned', async (t) => {
  const odd = await description(instance('ISO_IR 999', Buffer.from('Doe^John'), hex('b8d2d0 20 4a6f686e')));
  t.equal(odd.toString('latin1').trim(), '');
  const ascii = await description(instance('ISO_IR 999', Buffer.from('Doe^Johnzz'), Buffer.from('CT for Johnzz Doe')));
  t.equal(ascii.toString('latin1').trim(), 'CT for [CTX] [CTX]');
});

t.test('an escape sequence under a charset without code extensions is not read past', async (t) => {
  const out = await description(instance('ISO_IR 100', Buffer.from('Doe^John'), hex('1b2442 3b334544 1b2842')));
  t.equal(out.toString('latin1').trim(), '');
});

t.test('the real Japanese sample: its names are context, its ASCII description unchanged', async (t) => {
  // PS3.5 H.3.1 example values, as in the shared chrJapMulti.dcm: やまだ^たろう
  const name = hex('1b2442 2464245e2440 1b2842 5e 1b2442 243f246d2426 1b2842');
  const text = Buffer.concat([Buffer.from('Chest '), hex('1b2442 2464245e2440 1b2842')]);
  const out = await description(instance('\\ISO 2022 IR 87', name, text));
  t.equal(out.indexOf(hex('2464245e2440')), -1);
  t.match(out.toString('latin1'), /^Chest /);
});

t.test('a sequence item with its own Specific Character Set: its text is read and written under it', async (t) => {
  // The dataset is UTF-8; an item of RequestAttributesSequence says GB18030 and
  // describes the step as 王小東检查 (the patient's name is 王小東).
  const step = item(Buffer.concat([el(0x00080005, 'CS', 'GB18030'), el(0x00400007, 'LO', hex('cdf5d0a1967c bcecb2e9'))]));
  const input = instance('ISO_IR 192', Buffer.from('王小東', 'utf8'), Buffer.from('CT', 'utf8'), [el(0x00400275, 'SQ', step)]);
  const { bytes } = await deid(input, { plan: cleanPlan() });
  const e = parseAny(bytes).elements.x00400275?.items?.[0]?.dataSet?.elements.x00400007;
  t.ok(e, 'the step description is kept, cleaned');
  const v = bytes.subarray(e!.dataOffset, e!.dataOffset + e!.length);
  t.equal(v.indexOf(hex('cdf5d0a1967c')), -1, 'the name is gone');
  t.not(v.indexOf(hex('bcecb2e9')), -1, 'the rest is still GB18030');
});
