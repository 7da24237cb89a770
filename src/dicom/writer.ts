import { Transform, type TransformCallback } from 'node:stream';
import { createDeflateRaw, type DeflateRaw } from 'node:zlib';
import { DeidError, toDeidError } from '../core/errors.js';
import type { DicomToken } from './tokens.js';
import { WriterCore, type WriterOptions } from './writer-core.js';

export type { WriterOptions } from './writer-core.js';

/**
 * DicomTokens in (object mode), part-10 bytes out, in the transfer syntax
 * the tokens came from or in `opts.transferSyntax`; a deflated dataset is
 * deflated again (raw deflate, PS3.5 A.5). Errors with a DeidError rather
 * than writing a wrong file.
 */
export function dicomWriter(opts: WriterOptions = {}): Transform {
  let deflater: DeflateRaw | undefined;
  let pendingDrain = false;
  let deflateError: DeidError | undefined;

  const core = new WriterCore((b, inDataset) => {
    if (inDataset && core.deflated) {
      deflater ??= startDeflate();
      if (!deflater.write(b)) pendingDrain = true;
    } else {
      stream.push(b);
    }
  }, opts);

  const stream: Transform = new Transform({
    writableObjectMode: true,
    writableHighWaterMark: 64,
    transform(t: DicomToken, _enc, cb: TransformCallback) {
      try {
        if (deflateError) throw deflateError;
        core.write(t);
      } catch (e) {
        return cb(toDeidError(e, 'INTERNAL'));
      }
      if (pendingDrain && deflater) {
        pendingDrain = false;
        const d = deflater;
        const go = (): void => {
          d.off('drain', go);
          d.off('error', go);
          cb(deflateError);
        };
        d.once('drain', go);
        d.once('error', go);
        return;
      }
      cb();
    },
    flush(cb: TransformCallback) {
      try {
        core.end();
      } catch (e) {
        return cb(toDeidError(e, 'INTERNAL'));
      }
      if (core.deflated) deflater ??= startDeflate();
      if (!deflater) return cb();
      if (deflateError) return cb(deflateError);
      let done = false;
      const finish = (): void => {
        if (!done) {
          done = true;
          cb(deflateError);
        }
      };
      deflater.once('end', finish);
      deflater.once('error', finish); // after the handler that records the error
      deflater.end();
    },
  });

  function startDeflate(): DeflateRaw {
    const d = createDeflateRaw({ level: opts.deflateLevel ?? 6 });
    d.on('data', (b: Buffer) => stream.push(b));
    d.on('error', () => {
      deflateError = new DeidError('INTERNAL', 'deflate failed');
    });
    return d;
  }

  return stream;
}
