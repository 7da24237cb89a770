import { Transform, type TransformCallback } from 'node:stream';
import { DicomStoreError } from './codes.js';
import { MultipartCore, MultipartError } from './multipart-core.js';

/**
 * A multipart/related body in, the bytes of its single application/dicom
 * part out (a WADO-RS answer for one instance). Anything else — no part, a
 * second part, another media type, a body cut short — errors the stream with
 * STORE_BAD_RESPONSE, so a partial instance never passes for a whole one.
 */
export function singleDicomPart(boundary: string): Transform {
  const core = new MultipartCore(boundary);
  const bad = (why: string): DicomStoreError => new DicomStoreError('STORE_BAD_RESPONSE', why);
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        for (const ev of core.feed(chunk)) {
          if (ev.type === 'part') {
            if (core.parts > 1) throw bad('more than one part for one instance');
            const type = (ev.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
            if (type !== 'application/dicom') throw bad('part is not application/dicom');
          } else if (ev.type === 'data') {
            this.push(ev.bytes);
          }
        }
        cb();
      } catch (e) {
        cb(e instanceof MultipartError ? bad(e.message) : e as Error);
      }
    },
    flush(cb: TransformCallback) {
      try {
        core.end();
        if (core.parts === 0) throw bad('no part');
        cb();
      } catch (e) {
        cb(e instanceof MultipartError ? bad(e.message) : e as Error);
      }
    },
  });
}
