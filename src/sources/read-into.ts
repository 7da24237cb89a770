import fs from 'node:fs';

/**
 * A file's bytes, read again and again into one buffer: each chunk is
 * overwritten by the next read, so the consumer copies what it keeps (the
 * line splitters copy the start of a line they hold). A new buffer per read
 * (fs.createReadStream) left tens of MB of dead 256 KiB buffers in the C heap
 * until the garbage collector freed them, and the allocator then kept that
 * memory for the whole run.
 */
export async function* readInto(file: string, buf: Buffer): AsyncGenerator<Buffer> {
  const fh = await fs.promises.open(file, 'r');
  try {
    for (let n; (n = (await fh.read(buf, 0, buf.length, null)).bytesRead) > 0; ) yield buf.subarray(0, n);
  } finally {
    await fh.close();
  }
}
