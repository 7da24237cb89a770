import { DeidError } from '../core/errors.js';
import { readBoundedText } from '../core/read-bounded-text.js';
import { parseFilterLine } from '../stores/dicom/filter.js';

/**
 * The longest filter line is `/studies/{uid}/series/{uid}/instances/{uid}`
 * with three 64-character UIDs: 221 bytes with its newline. 32 MiB holds
 * 150,000 such lines (about 250,000 at the 40-character UIDs most devices
 * write); the lines stay in memory for the whole operation, so a bound far
 * above what a list of instances needs would only let a wrong file (a
 * device, an image, an endless FIFO) take the memory.
 */
export const MAX_FILTER_FILE_BYTES = 32 * 1024 * 1024;

/**
 * The lines of `--filter-file`: read up to its bound, UTF-8, each line not
 * blank or a `#` comment checked as a filter line. A problem is refused
 * before the operation starts, naming the file and the line number (never
 * the line's text).
 */
export function readFilterFile(file: string): string[] {
  const where = `--filter-file ${file}`;
  const text = readBoundedText(file, MAX_FILTER_FILE_BYTES, { where, missingIsInput: true });
  const lines: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (!parseFilterLine(line)) throw new DeidError('STORE_FILTER_INVALID', `${where}: line ${i + 1}`);
    lines.push(line);
  });
  return lines;
}
