// textCodec on the shared Specific Character Set samples (dclunie's charset
// set, see ../shared/data/dicom-samples/PROVENANCE.md): PatientName, read by
// the independent parser, decodes to the name the sample was made with (the
// PS3.5 Annex H, I and J examples among them), and writes back to bytes that
// decode to the same characters.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import dicomParser from 'dicom-parser';
import { charsetTerms, textCodec } from '../../src/dicom/charset.js';
import { decodeValue } from '../../src/dicom/value.js';
import { repoRoot } from './samples.js';

const dir = path.resolve(repoRoot, '../shared/data/dicom-samples/charset');

const expected: Record<string, string> = {
  'chrArab.dcm': 'قباني^لنزار',
  'chrFren.dcm': 'Buc^Jérôme',
  'chrGerm.dcm': 'Äneas^Rüdiger',
  'chrGreek.dcm': 'Διονυσιος',
  'chrH31.dcm': 'Yamada^Tarou=山田^太郎=やまだ^たろう',
  'chrH32.dcm': 'ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう',
  'chrHbrw.dcm': 'שרון^דבורה',
  'chrI2.dcm': 'Hong^Gildong=洪^吉洞=홍^길동',
  'chrJapMulti.dcm': 'やまだ^たろう',
  'chrJapMultiExplicitIR6.dcm': 'やまだ^たろう',
  'chrKoreanMulti.dcm': '김희중',
  'chrRuss.dcm': 'Люкceмбypг',
  'chrX1.dcm': 'Wang^XiaoDong=王^小東=',
  'chrX2.dcm': 'Wang^XiaoDong=王^小东=',
};

for (const [file, name] of Object.entries(expected)) {
  t.test(file, async (t) => {
    const bytes = fs.readFileSync(path.join(dir, file));
    const ds = dicomParser.parseDicom(bytes);
    const charset = ds.string('x00080005');
    const e = ds.elements.x00100010!;
    const value = Buffer.from(bytes.subarray(e.dataOffset, e.dataOffset + e.length));
    t.equal(decodeValue(value, charset), name, `PatientName under ${charset}`);
    const codec = textCodec(charset);
    t.equal(codec.decode(codec.encode(name)), name, 'written back, it reads the same');
  });
}

t.test('the terms of (0008,0005): empty first value, spacing and case', async (t) => {
  t.same(charsetTerms('\\ISO 2022 IR 87'), ['', 'ISO 2022 IR 87']);
  t.same(charsetTerms('iso_ir 100 '), ['ISO_IR 100']);
  t.same(charsetTerms('ISO_IR_192'), ['ISO_IR 192']);
  t.same(charsetTerms('ISO-IR 100'), ['ISO_IR 100'], 'a non-standard spelling seen in the wild (IM00001 sample)');
  t.same(charsetTerms('ISO 2022 IR 6\\iso 2022 ir 87'), ['ISO 2022 IR 6', 'ISO 2022 IR 87']);
  t.same(charsetTerms('GB18030'), ['GB18030']);
  t.same(charsetTerms(undefined), []);
});

t.test('bytes a charset does not define are unreadable, not guessed', async (t) => {
  t.equal(textCodec('ISO_IR 192').decode(Buffer.from([0x41, 0xff, 0x41])), undefined, 'invalid UTF-8');
  t.equal(textCodec('GB18030').decode(Buffer.from([0xff, 0xff])), undefined, 'no GB18030 code');
  t.equal(textCodec('ISO_IR 999').decode(Buffer.from([0x41, 0xc0])), undefined, 'an unknown term and a byte above ASCII');
  t.equal(textCodec('ISO_IR 999').decode(Buffer.from('CT HEAD')), 'CT HEAD', 'an unknown term and ASCII');
  t.equal(textCodec('ISO_IR 100').decode(Buffer.from([0x1b, 0x24, 0x42, 0x3b, 0x33, 0x1b, 0x28, 0x42])), undefined, 'an escape without code extensions');
  t.equal(textCodec('\\ISO 2022 IR 87').decode(Buffer.from([0x1b, 0x24, 0x42, 0x3b])), undefined, 'half a JIS X 0208 character');
  t.equal(textCodec('\\ISO 2022 IR 87').decode(Buffer.from([0x1b, 0x25, 0x47, 0x41])), undefined, 'an escape sequence deid does not read');
  t.equal(textCodec('\\ISO 2022 IR 87').decode(Buffer.from([0xb1, 0xe8])), undefined, 'a G1 byte with no G1 set');
  t.equal(textCodec('').decode(Buffer.from('Jérôme', 'latin1')), 'Jérôme', 'no charset: Latin-1, as files that do not say so are written');
});

t.test('encode: characters a charset cannot hold become ?, and ISO 2022 returns to ASCII at the end', async (t) => {
  t.same(textCodec('ISO_IR 144').encode('Иван 王'), Buffer.from([0xb8, 0xd2, 0xd0, 0xdd, 0x20, 0x3f]));
  const jp = textCodec('\\ISO 2022 IR 87').encode('山田');
  t.same(jp.subarray(jp.length - 3), Buffer.from([0x1b, 0x28, 0x42]));
  t.equal(textCodec('').encode('a\u0001b').toString('latin1'), 'a?b', 'control characters text VRs do not allow');
});

t.test('ISO 2022 IR 13: byte 05/12 stays the value delimiter (JIS X 0201 draws it as a yen sign)', async (t) => {
  // ﾔﾏﾀﾞ\ﾀﾛｳ: half-width katakana in G1, two values
  const bytes = Buffer.from([0xd4, 0xcf, 0xc0, 0xde, 0x5c, 0xc0, 0xdb, 0xb3]);
  const codec = textCodec('ISO 2022 IR 13\\ISO 2022 IR 87');
  t.equal(codec.decode(bytes), 'ﾔﾏﾀﾞ\\ﾀﾛｳ');
  t.same(codec.encode('ﾔﾏﾀﾞ\\ﾀﾛｳ'), bytes, 'written back as it was, with no escape sequence');
});
