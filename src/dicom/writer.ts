import { Transform, type TransformCallback } from 'node:stream';
import { createDeflateRaw, type DeflateRaw } from 'node:zlib';
import { DeidError, toDeidError } from '../core/errors.js';
import type { DicomToken } from './tokens.js';
import { WriterCore, type WriterOptions } from './writer-core.js';

export type { WriterOptions } from './writer-core.js';

/**
 * DicomTokens in (object mode), part-10 bytes out, in the transfer syntax
 * the tokens came from; a deflated dataset is deflated again (raw deflate,
 * PS3.5 A.5). Errors with a DeidError rather than writing a wrong file.
 */
export function dicomWriter(opts: WriterOptions = {}): Transform {
  let deflater: DeflateRaw | undefined;
  let pendingDrain = false;
  let deflateError: Error | undefined;

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
        deflater.once('drain', () => cb());
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
      deflater.once('end', () => cb(deflateError ? toDeidError(deflateError, 'INTERNAL') : undefined));
      deflater.end();
    },
  });

  function startDeflate(): DeflateRaw {
    const d = createDeflateRaw({ level: opts.deflateLevel ?? 6 });
    d.on('data', (b: Buffer) => stream.push(b));
    d.on('error', () => {
      deflateError = new DeidError('INTERNAL', 'deflate failed');
      d.emit('end');
    });
    return d;
  }

  return stream;
}
