// Baseline of the FHIR benchmark: the same NDJSON, split into lines, parsed
// and stringified again, written to stdout. Nothing else.
import fs from 'node:fs';
import readline from 'node:readline';

const rl = readline.createInterface({ input: fs.createReadStream(process.argv[2], { highWaterMark: 256 * 1024 }), crlfDelay: Infinity });
let buf = '';
for await (const line of rl) {
  if (!line) continue;
  buf += JSON.stringify(JSON.parse(line)) + '\n';
  if (buf.length > 256 * 1024) {
    if (!process.stdout.write(buf)) await new Promise((r) => process.stdout.once('drain', r));
    buf = '';
  }
}
process.stdout.write(buf);
