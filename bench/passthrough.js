// Baseline of the FHIR benchmark: the same NDJSON, split into lines, parsed
// and stringified again, written to stdout. Nothing else.
// Reads and writes are 64 KiB, like deid's output batches: 256 KiB strings
// and buffers are large objects that V8 and malloc map and unmap one by one.
// On a machine where a fresh page costs ~10 µs of system time, 256 KiB made
// this baseline take 4.4-5.4 s on the 200 MB input (~175k page faults)
// against 2.2 s (~16k) with 64 KiB, which flattered deid's ratio.
const CHUNK = 64 * 1024;
import fs from 'node:fs';
import readline from 'node:readline';

const rl = readline.createInterface({ input: fs.createReadStream(process.argv[2], { highWaterMark: CHUNK }), crlfDelay: Infinity });
let buf = '';
for await (const line of rl) {
  if (!line) continue;
  buf += JSON.stringify(JSON.parse(line)) + '\n';
  if (buf.length > CHUNK) {
    if (!process.stdout.write(buf)) await new Promise((r) => process.stdout.once('drain', r));
    buf = '';
  }
}
process.stdout.write(buf);
