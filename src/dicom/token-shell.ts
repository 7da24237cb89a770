import { Transform, type TransformCallback } from 'node:stream';
import { toDeidError } from '../core/errors.js';
import type { DicomToken } from './tokens.js';

/** A core that takes tokens and collects the tokens it emits in `out`. */
export interface TokenCore {
  write(t: DicomToken): void;
  end(): void;
  out: DicomToken[];
}

/** The thin object-mode Transform around a token core (editor, inserter…). */
export function tokenShell(core: TokenCore): Transform {
  const stream: Transform = new Transform({
    objectMode: true,
    highWaterMark: 64,
    transform(t: DicomToken, _enc, cb: TransformCallback) {
      run(() => core.write(t), cb);
    },
    flush(cb: TransformCallback) {
      run(() => core.end(), cb);
    },
  });
  function run(step: () => void, cb: TransformCallback): void {
    try {
      step();
      for (const t of core.out) stream.push(t);
      core.out.length = 0;
      cb();
    } catch (e) {
      cb(toDeidError(e, 'INTERNAL'));
    }
  }
  return stream;
}
