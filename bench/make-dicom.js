// DICOM benchmark inputs, made from the shared samples with deid's own
// part-10 codec (dist/dicom: tokenizer + writer; `npm run bench` builds it):
// - copies of one instance, each with its own SOPInstanceUID and SeriesInstanceUID;
// - one large native multi-frame instance whose PixelData repeats the
//   sample's frames, streamed to disk in chunks (never held in memory).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TokenizerCore, WriterCore, encodeReplacement } from '../dist/dicom/index.js';

const SOP_INSTANCE_UID = 0x00080018;
const SERIES_INSTANCE_UID = 0x0020000e;
const NUMBER_OF_FRAMES = 0x00280008;
const PER_FRAME_GROUPS = 0x52009230;
const PIXEL_DATA = 0x7fe00010;

/** `2.25.` + a decimal of 128 bits derived from the label (PS3.5 B.2): deterministic, distinct per label. */
export function benchUid(label) {
  const h = createHash('sha256').update(`deid-bench:${label}`).digest();
  return `2.25.${BigInt('0x' + h.subarray(0, 16).toString('hex'))}`;
}

/** Every token of a (small) part-10 file. */
function tokensOf(file) {
  const core = new TokenizerCore({ maxValueBytes: 64 * 1024, chunkBytes: 1024 * 1024 });
  core.feed(fs.readFileSync(file));
  core.end();
  return core.out;
}

/** The token with a new value (its raw header is dropped when the length changes). */
function withValue(t, value) {
  return { ...t, header: { ...t.header, length: value.length, raw: value.length === t.header.length ? t.header.raw : undefined }, value };
}

/** A writer into a file, synchronously (the generator has nothing else to do). */
function fileWriter(file, opts) {
  const fd = fs.openSync(file, 'w');
  const pending = [];
  let size = 0;
  const flush = () => {
    if (pending.length) fs.writeSync(fd, Buffer.concat(pending.splice(0)));
    size = 0;
  };
  const core = new WriterCore((b) => {
    pending.push(b);
    size += b.length;
    if (size >= 4 * 1024 * 1024) flush();
  }, opts);
  return {
    write: (t) => core.write(t),
    close() {
      core.end();
      flush();
      fs.closeSync(fd);
    },
  };
}

/** `count` copies of `src` in `dir`, each with its own SOPInstanceUID and SeriesInstanceUID. */
export function makeDicomCopies(src, dir, count) {
  fs.mkdirSync(dir, { recursive: true });
  const tokens = tokensOf(src);
  const files = [];
  for (let i = 0; i < count; i++) {
    const sop = benchUid(`${path.basename(src)}:${i}:sop`);
    const series = benchUid(`${path.basename(src)}:${i}:series`);
    const file = path.join(dir, `copy-${String(i).padStart(3, '0')}.dcm`);
    const w = fileWriter(file, { mediaStorageSOPInstanceUID: sop });
    for (const t of tokens) {
      if (t.type === 'element' && t.path.length === 0 && t.header.tag === SOP_INSTANCE_UID) w.write(withValue(t, encodeReplacement(sop, 'UI', SOP_INSTANCE_UID)));
      else if (t.type === 'element' && t.path.length === 0 && t.header.tag === SERIES_INSTANCE_UID) w.write(withValue(t, encodeReplacement(series, 'UI', SERIES_INSTANCE_UID)));
      else w.write(t);
    }
    w.close();
    files.push(file);
  }
  return files;
}

/**
 * A native multi-frame instance of at least `minBytes` of PixelData, made
 * from a native multi-frame sample (Enhanced CT): its frames are repeated,
 * NumberOfFrames is set to match and the items of the Per-Frame Functional
 * Groups Sequence are repeated in the same cycle, so the instance stays
 * consistent in shape (one functional-groups item per frame). A new
 * SOPInstanceUID marks it as a distinct instance.
 */
export function makeDicomMultiframe(src, file, minBytes) {
  const tokens = tokensOf(src);
  const frames0 = frameCount(tokens);
  const pixels = pixelValue(tokens);
  if (!frames0 || !pixels || pixels.length % frames0 !== 0) throw new Error(`${src}: not a native multi-frame instance`);
  const frameBytes = pixels.length / frames0;
  const frames = Math.ceil(minBytes / frameBytes);
  const total = frames * frameBytes;
  if (total > 0xfffffffe) throw new Error('PixelData too large for a 32-bit length');
  const sop = benchUid(`${path.basename(src)}:multiframe:${frames}`);
  const tmp = `${file}.partial`;
  const w = fileWriter(tmp, { mediaStorageSOPInstanceUID: sop });

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const top = 'path' in t && t.path.length === 0;
    if (t.type === 'element' && top && t.header.tag === SOP_INSTANCE_UID) {
      w.write(withValue(t, encodeReplacement(sop, 'UI', SOP_INSTANCE_UID)));
    } else if (t.type === 'element' && top && t.header.tag === NUMBER_OF_FRAMES) {
      w.write(withValue(t, encodeReplacement(String(frames), 'IS', NUMBER_OF_FRAMES)));
    } else if (t.type === 'sequenceStart' && top && t.header.tag === PER_FRAME_GROUPS) {
      const end = matchingEnd(tokens, i);
      const items = splitItems(tokens.slice(i + 1, end));
      w.write({ ...t, undefinedLength: true });
      for (let f = 0; f < frames; f++) for (const it of items[f % items.length]) w.write(it);
      w.write(tokens[end]);
      i = end;
    } else if ((t.type === 'valueStart' || t.type === 'element') && top && t.header.tag === PIXEL_DATA) {
      const header = { tag: PIXEL_DATA, vr: t.header.vr, length: total, explicit: t.header.explicit, bigEndian: t.header.bigEndian };
      w.write({ type: 'valueStart', header, path: [] });
      for (let f = 0; f < frames; f += frames0) {
        const n = Math.min(frames0, frames - f);
        w.write({ type: 'valueChunk', bytes: pixels.subarray(0, n * frameBytes) });
      }
      w.write({ type: 'valueEnd' });
      if (t.type === 'valueStart') while (tokens[i].type !== 'valueEnd') i++;
    } else {
      w.write(t);
    }
  }
  w.close();
  fs.renameSync(tmp, file);
  return { file, frames, pixelBytes: total, bytes: fs.statSync(file).size };
}

function frameCount(tokens) {
  const t = tokens.find((x) => x.type === 'element' && x.path.length === 0 && x.header.tag === NUMBER_OF_FRAMES);
  return t ? parseInt(t.value.toString('latin1'), 10) : undefined;
}

function pixelValue(tokens) {
  const i = tokens.findIndex((x) => (x.type === 'element' || x.type === 'valueStart') && x.path.length === 0 && x.header.tag === PIXEL_DATA);
  if (i < 0) return undefined;
  if (tokens[i].type === 'element') return tokens[i].value;
  const parts = [];
  for (let j = i + 1; tokens[j].type === 'valueChunk'; j++) parts.push(tokens[j].bytes);
  return Buffer.concat(parts);
}

/** Index of the sequenceEnd closing the sequenceStart at `start`. */
function matchingEnd(tokens, start) {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    if (tokens[i].type === 'sequenceStart') depth++;
    else if (tokens[i].type === 'sequenceEnd' && --depth === 0) return i;
  }
  throw new Error('unterminated sequence');
}

/** The tokens of a sequence's body, one array per item (itemStart..itemEnd). */
function splitItems(body) {
  const items = [];
  let depth = 0;
  let cur;
  for (const t of body) {
    if (t.type === 'itemStart' && depth === 0) cur = [];
    if (t.type === 'itemStart') depth++;
    cur.push(t);
    if (t.type === 'itemEnd' && --depth === 0) items.push(cur);
  }
  return items;
}
