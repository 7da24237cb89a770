// The least a Node.js process can do per instance: read each file of a folder
// into one reused buffer and write it, unchanged, to a temporary file renamed
// into a new folder (what `deid dicom` does around its own work, without the
// tokenizer, the profile or the writer). It shows how much of deid's time on
// many small instances is Node's start and file I/O rather than DICOM work.
import fs from 'node:fs';
import path from 'node:path';

const [src, dst] = process.argv.slice(2);
if (!src || !dst) {
  process.stderr.write('usage: node bench/node-copy.js SRC_DIR DST_DIR\n');
  process.exit(64);
}
fs.mkdirSync(dst, { recursive: true });
let buf = Buffer.allocUnsafe(1024 * 1024);
let i = 0;
for (const name of fs.readdirSync(src)) {
  const fd = fs.openSync(path.join(src, name), 'r');
  let n = 0;
  for (;;) {
    if (n === buf.length) {
      const grown = Buffer.allocUnsafe(2 * buf.length);
      buf.copy(grown);
      buf = grown;
    }
    const k = fs.readSync(fd, buf, n, buf.length - n, n);
    if (k === 0) break;
    n += k;
  }
  fs.closeSync(fd);
  const dir = path.join(dst, String(i % 10));
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.copy-${i++}.tmp`);
  const out = fs.openSync(temp, 'wx');
  for (let at = 0; at < n; ) at += fs.writeSync(out, buf, at, n - at);
  fs.closeSync(out);
  fs.renameSync(temp, path.join(dir, name));
}
