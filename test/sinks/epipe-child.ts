// Child process for stdout.test.ts: writes 100k NDJSON lines to stdout through
// the NDJSON writer; the test closes the pipe after the first line.
import { Readable } from 'node:stream';
import type { Item } from '../../src/core/record.js';
import { NdjsonWriter } from '../../src/sinks/ndjson-writer.js';
import { pipeToStdout } from '../../src/sinks/stdout.js';

function* items(): Generator<Item> {
  for (let i = 0; i < 100_000; i++) {
    yield { kind: 'ok', value: { resourceType: 'Observation', id: `obs-${i}`, status: 'final' }, loc: { file: '-', line: i + 1 } };
  }
}

const result = await pipeToStdout(Readable.from(items()).pipe(new NdjsonWriter()));
if (process.argv[2] === '--report') process.stderr.write(result + '\n');
