import t from 'tap';
import { dicomEditor, dicomTokenizer, dicomWriter, keep, remove, replace, tagOf, type DicomToken, type EditRule } from '../../src/dicom/index.js';
import { runChunked, STANDARD_PLANS } from '../helpers/rechunk.js';
import { MALFORMED, sampleFiles } from './samples.js';
import { readSample, tokenKey } from './tokenize-helpers.js';

// Small value limits make large-value streaming (valueStart/valueChunk/valueEnd)
// happen in every file, so chunk boundaries fall inside streamed values too.
const small = { maxValueBytes: 64, chunkBytes: 50 };

const files = sampleFiles().filter((f) => !MALFORMED[f]);

for (const name of files) {
  t.test(name, async (t) => {
    const input = readSample(name);
    // 1-byte feeding of the largest files is slow; they get the other plans.
    const plans = STANDARD_PLANS.filter((p) => p.plan !== 1 || input.length <= 300_000);
    const refTokens = (await runChunked<DicomToken>(input, input.length, dicomTokenizer(small))).map(tokenKey);
    const refBytes = Buffer.concat(await runChunked<Buffer>(input, input.length, dicomTokenizer(small), dicomWriter()));
    for (const { name: plan, plan: p } of plans) {
      const tokens = (await runChunked<DicomToken>(input, p, dicomTokenizer(small))).map(tokenKey);
      t.equal(tokens.length, refTokens.length, `${plan}: same number of tokens`);
      t.ok(tokens.every((k, i) => k === refTokens[i]), `${plan}: identical token stream`);
      const out = Buffer.concat(await runChunked<Buffer>(input, p, dicomTokenizer(small), dicomWriter()));
      t.ok(out.equals(refBytes), `${plan}: identical output bytes`);
    }
  });
}

for (const [name, code] of Object.entries(MALFORMED)) {
  t.test(`${name} fails the same way in every chunking`, async (t) => {
    const input = readSample(name);
    for (const { name: plan, plan: p } of STANDARD_PLANS) {
      await t.rejects(runChunked(input, p, dicomTokenizer(small), dicomWriter()), { code }, plan);
    }
  });
}

t.test('edited output does not depend on chunking either', async (t) => {
  const rule: EditRule = (el, p) => {
    if (el.tag === tagOf('PatientName')) return remove;
    if (el.tag === tagOf('PatientID') || el.tag === tagOf('ReferencedSOPInstanceUID')) return replace(p.length ? '1.2.3' : 'X');
    return keep;
  };
  for (const name of ['ts/CT_small.dcm', 'rt/rtplan.dcm', 'ts/report_dfl.dcm', 'sequences-private/UN_sequence.dcm']) {
    const input = readSample(name);
    const ref = Buffer.concat(await runChunked<Buffer>(input, input.length, dicomTokenizer(small), dicomEditor(rule, { maxBufferedBytes: 300 }), dicomWriter()));
    t.not(ref.length, 0);
    for (const { name: plan, plan: p } of STANDARD_PLANS) {
      const out = Buffer.concat(await runChunked<Buffer>(input, p, dicomTokenizer(small), dicomEditor(rule, { maxBufferedBytes: 300 }), dicomWriter()));
      t.ok(out.equals(ref), `${name} ${plan}`);
    }
  }
});
