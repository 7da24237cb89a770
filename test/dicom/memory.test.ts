import t from 'tap';
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { dicomTokenizer, dicomWriter, processInstance, replace, keep, tagOf, TS_DEFLATED_LE, TS_EXPLICIT_LE } from '../../src/dicom/index.js';

const FRAME = 1024 * 1024; // 1 MiB per frame
const FRAMES = 110; // > 100 MB of pixel data

function el(group: number, element: number, vr: string, value: Buffer | string, longLength?: number): Buffer {
  const v = typeof value === 'string' ? Buffer.from(value.length % 2 ? value + ' ' : value, 'latin1') : value;
  const long = ['OB', 'OW', 'SQ', 'UN', 'UT'].includes(vr);
  const h = Buffer.alloc(long ? 12 : 8);
  h.writeUInt16LE(group, 0);
  h.writeUInt16LE(element, 2);
  h.write(vr, 4, 'latin1');
  if (long) h.writeUInt32LE(longLength ?? v.length, 8);
  else h.writeUInt16LE(v.length, 6);
  return Buffer.concat([h, v]);
}

/** A multi-frame explicit VR LE file generated on the fly; its hash is computed as it is produced. */
function generated(): { stream: Readable; hash: () => string; size: number } {
  const ts = '1.2.840.10008.1.2.1\0';
  const metaBody = Buffer.concat([el(0x0002, 0x0001, 'OB', Buffer.from([0, 1])), el(0x0002, 0x0010, 'UI', ts)]);
  const gl = Buffer.alloc(4);
  gl.writeUInt32LE(metaBody.length);
  const head = Buffer.concat([
    Buffer.alloc(128), Buffer.from('DICM'), el(0x0002, 0x0000, 'UL', gl), metaBody,
    el(0x0010, 0x0010, 'PN', 'DOE^JANE'), el(0x0010, 0x0020, 'LO', '12345678'),
    el(0x0028, 0x0008, 'IS', String(FRAMES)),
    el(0x7fe0, 0x0010, 'OW', Buffer.alloc(0), FRAME * FRAMES),
  ]);
  const tail = el(0xfffc, 0xfffc, 'OB', Buffer.alloc(8));
  const h = createHash('sha256');
  let i = -1;
  const stream = new Readable({
    read() {
      let b: Buffer | null;
      if (i === -1) b = head;
      else if (i < FRAMES) b = Buffer.alloc(FRAME, i & 0xff);
      else if (i === FRAMES) b = tail;
      else b = null;
      i++;
      if (b) h.update(b);
      this.push(b);
    },
  });
  return { stream, hash: () => h.digest('hex'), size: head.length + FRAME * FRAMES + tail.length };
}

function hashingSink(): { sink: Writable; result: () => { size: number; hash: string } } {
  const h = createHash('sha256');
  let size = 0;
  const sink = new Writable({
    write(b: Buffer, _e, cb) {
      size += b.length;
      h.update(b);
      cb();
    },
  });
  return { sink, result: () => ({ size, hash: h.digest('hex') }) };
}

function rssWatch(): { stop: () => number } {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return peak - base;
    },
  };
}

const MB = 1024 * 1024;

t.test('a 110 MB multi-frame file streams through tokenize -> write with bounded memory', async (t) => {
  const src = generated();
  const out = hashingSink();
  const watch = rssWatch();
  await pipeline(src.stream, dicomTokenizer(), dicomWriter(), out.sink);
  const growth = watch.stop();
  const r = out.result();
  t.equal(r.size, src.size, 'same size');
  t.ok(src.size > 100 * MB);
  t.equal(r.hash, src.hash(), 'same sha256');
  t.ok(growth < 200 * MB, `RSS growth ${Math.round(growth / MB)} MB stays under 200 MB`);
});

t.test('the same file through processInstance with edits', async (t) => {
  const src = generated();
  const out = hashingSink();
  const watch = rssWatch();
  await processInstance(src.stream, out.sink, (el) => (el.tag === tagOf('PatientName') ? replace('ANON') : keep));
  const growth = watch.stop();
  t.equal(out.result().size, src.size - 4, 'PatientName shortened by 4 bytes, the rest streamed');
  t.ok(growth < 200 * MB, `RSS growth ${Math.round(growth / MB)} MB stays under 200 MB`);
});

t.test('the same file deflated and inflated again, streaming both ways', async (t) => {
  const src = generated();
  const out = hashingSink();
  const watch = rssWatch();
  await pipeline(
    src.stream,
    dicomTokenizer(),
    dicomWriter({ transferSyntax: TS_DEFLATED_LE }),
    dicomTokenizer(),
    dicomWriter({ transferSyntax: TS_EXPLICIT_LE }),
    out.sink,
  );
  const growth = watch.stop();
  const r = out.result();
  t.equal(r.size, src.size);
  t.equal(r.hash, src.hash(), 'explicit -> deflated -> explicit is lossless');
  t.ok(growth < 200 * MB, `RSS growth ${Math.round(growth / MB)} MB stays under 200 MB`);
});

t.test('a deflate bomb (110 MB from about 110 KB) inflates no further ahead than its consumer', async (t) => {
  const compressed: Buffer[] = [];
  await pipeline(generated().stream, dicomTokenizer(), dicomWriter({ transferSyntax: TS_DEFLATED_LE }), new Writable({
    write(b: Buffer, _e, cb) {
      compressed.push(b);
      cb();
    },
  }));
  const bomb = Buffer.concat(compressed);
  t.ok(bomb.length < 2 * MB, `compressed to ${bomb.length} bytes`);
  const watch = rssWatch();
  // A slow consumer: the tokenizer must not inflate ahead of it.
  let tokens = 0;
  let maxQueued = 0;
  const tokenizer = dicomTokenizer();
  await pipeline(Readable.from([bomb]), tokenizer, new Writable({
    objectMode: true,
    highWaterMark: 4,
    write(_t, _e, cb) {
      tokens++;
      maxQueued = Math.max(maxQueued, tokenizer.readableLength);
      if (tokens % 10 === 0) setTimeout(cb, 1);
      else cb();
    },
  }));
  const growth = watch.stop();
  t.ok(tokens > FRAMES * 16, `${tokens} tokens`);
  t.ok(maxQueued <= 128, `at most ${maxQueued} tokens queued ahead of the consumer`);
  // Without backpressure the whole 110 MB would sit in the token buffer.
  t.ok(growth < 64 * MB, `RSS growth ${Math.round(growth / MB)} MB stays under 64 MB`);
});
