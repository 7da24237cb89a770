import t from 'tap';
import { isDeidError } from '../../src/core/errors.js';
import { MALFORMED, sampleFiles } from './samples.js';
import { datasetOffset, inflatedView, readSample, roundTrip, tokenize } from './tokenize-helpers.js';

const files = sampleFiles();
/**
 * Inputs whose meta misnames their dataset: the writer repairs them (see
 * writer-meta.test.ts), so they are not byte-identical, but the repaired file
 * round-trips byte for byte.
 */
const REPAIRED = new Set(['edge-cases/SC_rgb_jpeg.dcm', 'edge-cases/meta_missing_tsyntax.dcm']);

t.test('the sample set is all there', async (t) => {
  t.equal(files.length, 75);
});

for (const name of files) {
  t.test(name, async (t) => {
    const input = readSample(name);
    const expected = MALFORMED[name];
    if (expected) {
      await t.rejects(roundTrip(input), { code: expected });
      return;
    }
    const tokens = await tokenize(input);
    const output = await roundTrip(input);
    const ds = tokens.find((x) => x.type === 'dataset');
    t.ok(ds, 'has a dataset token');
    if (ds?.type === 'dataset' && ds.deflated) {
      const at = datasetOffset(tokens);
      t.ok(inflatedView(output, at).equals(inflatedView(input, at)), 'same meta and same inflated dataset');
    } else if (REPAIRED.has(name)) {
      t.not(output.length, 0);
      t.ok((await roundTrip(output)).equals(output), 'the repaired file round-trips byte-identical');
    } else {
      t.equal(output.length, input.length, 'same size');
      t.ok(output.equals(input), 'byte-identical');
    }
  });
}

t.test('errors are DeidErrors that carry no data', async (t) => {
  for (const name of Object.keys(MALFORMED)) {
    const err = await roundTrip(readSample(name)).catch((e: unknown) => e);
    t.ok(isDeidError(err), name);
    t.notMatch((err as Error).message, /[A-Z]{2,}\^|\d{6,}/, 'message does not quote values');
  }
});
