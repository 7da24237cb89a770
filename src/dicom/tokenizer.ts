import { Transform, type TransformCallback } from 'node:stream';
import { createInflateRaw, type InflateRaw } from 'node:zlib';
import { DeidError, toDeidError } from '../core/errors.js';
import { TokenizerCore, type TokenizerOptions } from './tokenizer-core.js';

export type { TokenizerOptions } from './tokenizer-core.js';

/**
 * Bytes in, DicomTokens out (object mode). Deflated datasets are inflated on
 * the fly. Truncated or malformed input makes the stream error with a
 * DeidError (DICOM_TRUNCATED / DICOM_MALFORMED / DICOM_UNSUPPORTED).
 */
export function dicomTokenizer(opts: TokenizerOptions = {}): Transform {
  const core = new TokenizerCore(opts);
  let inflater: InflateRaw | undefined;
  let inflateError: DeidError | undefined;
  let pendingCb: TransformCallback | undefined;
  const settle = (): void => {
    const c = pendingCb;
    pendingCb = undefined;
    c?.(inflateError);
  };

  const stream: Transform = new Transform({
    readableObjectMode: true,
    readableHighWaterMark: 64,
    read(size: number) {
      // Inflation can turn one input chunk into a great many tokens; it is
      // paused while the consumer is behind and resumed when it reads.
      inflater?.resume();
      Transform.prototype._read.call(this, size);
    },
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        if (inflater) return writeCompressed(chunk, cb);
        core.feed(chunk);
        drain();
        if (core.inflating && !inflater) {
          startInflate();
          return writeCompressed(Buffer.concat(core.compressedTail), cb);
        }
        cb();
      } catch (e) {
        cb(toDeidError(e, 'DICOM_MALFORMED'));
      }
    },
    flush(cb: TransformCallback) {
      const finish = (): void => {
        try {
          if (inflateError) throw inflateError;
          core.end();
          drain();
          cb();
        } catch (e) {
          cb(toDeidError(e, 'DICOM_MALFORMED'));
        }
      };
      // zlib ends its readable side by itself once the deflate stream is complete.
      if (!inflater || inflateError || inflater.readableEnded) return finish();
      let done = false;
      const once = (): void => {
        if (!done) {
          done = true;
          finish();
        }
      };
      inflater.once('end', once);
      inflater.once('error', once); // registered after the handler that records the error
      inflater.end();
    },
  });

  /** Pushes the pending tokens; false when the consumer is behind. */
  function drain(): boolean {
    let ok = true;
    for (const t of core.out) ok = stream.push(t);
    core.out.length = 0;
    return ok;
  }

  function startInflate(): void {
    inflater = createInflateRaw();
    inflater.on('data', (d: Buffer) => {
      if (inflateError) return;
      try {
        core.feedDataset(d);
        if (!drain()) inflater!.pause();
      } catch (e) {
        inflateError = toDeidError(e, 'DICOM_MALFORMED');
      }
    });
    inflater.on('error', (err: NodeJS.ErrnoException) => {
      // A deflate stream that stops early is truncated input; anything else is corrupt.
      inflateError ??= err.code === 'Z_BUF_ERROR'
        ? new DeidError('DICOM_TRUNCATED', 'deflated dataset ends early')
        : new DeidError('DICOM_MALFORMED', 'deflated dataset is corrupt');
      settle(); // zlib may not call the pending write callback after an error
    });
  }

  function writeCompressed(chunk: Buffer, cb: TransformCallback): void {
    if (inflateError) return cb(inflateError);
    pendingCb = cb;
    inflater!.write(chunk, settle);
  }

  return stream;
}
