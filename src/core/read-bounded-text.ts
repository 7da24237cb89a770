import { DeidError } from './errors.js';
import { readBounded } from './read-bounded.js';

export interface BoundedTextOptions {
  /** How messages name the file (default: its path), e.g. `--filter-file x.txt`. */
  where?: string;
  /** A missing file is INPUT_NOT_FOUND (a list the run reads) rather than CONFIG_INVALID. */
  missingIsInput?: boolean;
}

/**
 * A small UTF-8 text file a run is configured by (a config, a pipeline, a
 * filter list), read up to `max` bytes. Every failure is a run-level
 * CONFIG_INVALID naming the file, never its contents: it cannot be read (the
 * system's code in brackets), it is longer than `max`, or its bytes are not
 * UTF-8 (decoded with `fatal`: a stray Latin-1 byte would otherwise become
 * U+FFFD and a value would silently change). A leading BOM is dropped.
 */
export function readBoundedText(file: string, max: number, opts: BoundedTextOptions = {}): string {
  const where = opts.where ?? file;
  let read: { bytes: Buffer; over: boolean };
  try {
    read = readBounded(file, max);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && opts.missingIsInput) throw new DeidError('INPUT_NOT_FOUND', where);
    throw new DeidError('CONFIG_INVALID', `${where}: cannot be read (${typeof code === 'string' ? code : 'error'})`);
  }
  if (read.over) throw new DeidError('CONFIG_INVALID', `${where}: larger than ${max} bytes`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
  } catch {
    throw new DeidError('CONFIG_INVALID', `${where}: not valid UTF-8`);
  }
}
