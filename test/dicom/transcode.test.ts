import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TS_DEFLATED_LE, TS_EXPLICIT_LE, TS_IMPLICIT_LE, type DicomToken } from '../../src/dicom/index.js';
import { parseMetaWithOracle, parseWithOracle } from './oracle.js';
import { readSample, roundTrip, tokenize } from './tokenize-helpers.js';

/** Every value at every depth, in order, with its depth: what must survive a change of encoding. */
function values(tokens: DicomToken[], dropGroupLengths = false): string[] {
  const out: string[] = [];
  let streamed: Buffer[] | null = null;
  for (const x of tokens) {
    if (x.type === 'element') {
      if (dropGroupLengths && (x.header.tag & 0xffff) === 0) continue;
      out.push(`${x.path.length}:${x.header.tag.toString(16)}=${x.value.toString('hex')}`);
    } else if (x.type === 'valueStart' && x.fragment === undefined) streamed = [];
    else if (x.type === 'valueChunk' && streamed) streamed.push(x.bytes);
    else if (x.type === 'valueEnd' && streamed) {
      out.push(`big=${Buffer.concat(streamed).toString('hex').length}`);
      streamed = null;
    } else if (x.type === 'sequenceStart') out.push(`${x.path.length}:seq ${x.header.tag.toString(16)}`);
    else if (x.type === 'itemStart') out.push('item');
  }
  return out;
}

const cases: [string, string][] = [
  ['ts/CT1_UNC.implicit_little_endian.dcm', TS_EXPLICIT_LE],
  ['ts/CT1_UNC.explicit_little_endian.dcm', TS_IMPLICIT_LE],
  ['rt/rtplan.dcm', TS_EXPLICIT_LE],
  ['sr/test-SR.dcm', TS_IMPLICIT_LE],
  ['sequences-private/nested_priv_SQ.dcm', TS_EXPLICIT_LE],
  ['ts/report_dfl.dcm', TS_EXPLICIT_LE],
  ['ts/MR_small.dcm', TS_DEFLATED_LE],
  ['rt/rtdose.dcm', TS_DEFLATED_LE],
];

for (const [name, ts] of cases) {
  t.test(`${name} -> ${ts}`, async (t) => {
    const input = readSample(name);
    const out = await roundTrip(input, { writer: { transferSyntax: ts } });
    const outTokens = await tokenize(out);
    const ds = outTokens.find((x) => x.type === 'dataset');
    t.match(ds, { transferSyntaxUID: ts, syntax: { explicit: ts !== TS_IMPLICIT_LE }, deflated: ts === TS_DEFLATED_LE });
    t.same(values(outTokens), values(await tokenize(input), true), 'same values, same nesting');
    t.equal(parseMetaWithOracle(out).string('x00020010'), ts, 'oracle reads the new transfer syntax');
    t.ok(Object.keys(parseWithOracle(out).elements).length > 5, 'oracle parses the dataset');
  });
}

t.test('implicit -> explicit -> implicit gives the original back', async (t) => {
  for (const name of ['ts/CT1_UNC.implicit_little_endian.dcm', 'ts/MR_small_implicit.dcm']) {
    const input = readSample(name);
    const explicit = await roundTrip(input, { writer: { transferSyntax: TS_EXPLICIT_LE } });
    const back = await roundTrip(explicit, { writer: { transferSyntax: TS_IMPLICIT_LE } });
    t.ok(back.equals(input), name);
  }
});

t.test('dcmdump reads converted files', { skip: spawnSync('dcmdump', ['--version']).status === 0 ? false : 'dcmdump not installed' }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deid-transcode-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, ts] of cases) {
    const file = path.join(dir, name.replace(/\//g, '_'));
    writeFileSync(file, await roundTrip(readSample(name), { writer: { transferSyntax: ts } }));
    const r = spawnSync('dcmdump', ['-q', file], { encoding: 'latin1' });
    t.equal(r.status, 0, name);
    t.notMatch(r.stderr, /^[EW]:/m, `${name}: no errors or warnings`);
  }
});

t.test('conversions that need pixel changes are refused', async (t) => {
  await t.rejects(roundTrip(readSample('ts/MR_small_bigendian.dcm'), { writer: { transferSyntax: TS_EXPLICIT_LE } }), { code: 'DICOM_UNSUPPORTED' });
  await t.rejects(roundTrip(readSample('encapsulated/MR_small_RLE.dcm'), { writer: { transferSyntax: TS_IMPLICIT_LE } }), { code: 'DICOM_UNSUPPORTED' });
  await t.rejects(roundTrip(readSample('ts/MR_small.dcm'), { writer: { transferSyntax: '1.2.840.10008.1.2.4.50' } }), { code: 'DICOM_UNSUPPORTED' });
});

t.test('asking for the syntax a file already has changes nothing', async (t) => {
  const input = readSample('encapsulated/MR_small_RLE.dcm');
  t.ok((await roundTrip(input, { writer: { transferSyntax: '1.2.840.10008.1.2.5' } })).equals(input));
});
