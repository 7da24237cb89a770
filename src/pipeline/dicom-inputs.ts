import fs from 'node:fs';
import path from 'node:path';
import { DeidError } from '../core/errors.js';
import { looksExplicit } from '../dicom/syntax.js';

/** One DICOM input: a file path, or null for the part-10 stream on stdin. */
export interface DicomInput {
  /** Name used in error entries and the report ('-' for stdin). */
  file: string;
  path: string | null;
  /** A path that is no regular file (a pipe, a device): read once, so copied first, as stdin is. */
  once?: boolean;
}

/**
 * Part-10 files carry "DICM" after a 128-byte preamble (PS3.10 7.1), or at
 * byte 0 from writers that leave the preamble out. A dataset without
 * preamble (which deid reads too, given by name) starts with an element of a
 * low group (0002..00FF, as the tokenizer requires) whose header is explicit
 * VR or an implicit length that fits the file: a second byte of 0 rules out
 * text, and the header test random binary.
 */
function looksLikeDicom(p: string, name: string): boolean {
  if (/\.(dcm|dicom)$/i.test(name)) return true;
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, 'r');
    const b = Buffer.alloc(132);
    const n = fs.readSync(fd, b, 0, 132, 0);
    if (n === 132 && b.toString('latin1', 128, 132) === 'DICM') return true;
    if (n >= 4 && b.toString('latin1', 0, 4) === 'DICM') return true; // the same, written without its preamble
    return n >= 8 && looksLikeRawDataset(b.subarray(0, n), fs.fstatSync(fd).size);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function looksLikeRawDataset(b: Buffer, size: number): boolean {
  const group = b[1] === 0 && b[0]! >= 0x02 ? b[0]! : b[0] === 0 && b[1]! >= 0x02 ? b[1]! : 0;
  if (group === 0) return false;
  if (looksExplicit(b)) return true;
  return b[1] === 0 && b.readUInt32LE(4) <= size - 8;
}

/**
 * Inputs of `deid dicom`: files as given (whatever their name), folders walked
 * recursively in sorted order keeping part-10 files and *.dcm (hidden entries
 * skipped), `-` for stdin. Throws INPUT_NOT_FOUND before anything is written.
 */
export function listDicomInputs(inputs: readonly string[]): DicomInput[] {
  const out: DicomInput[] = [];
  /** Folders walked, by real path: a link back up the tree is walked once, not until the path is too long. */
  const walked = new Set<string>();
  const walk = (dir: string): void => {
    const real = fs.realpathSync(dir);
    if (walked.has(real)) return;
    walked.add(real);
    for (const name of fs.readdirSync(dir).sort()) {
      // A DICOMDIR indexes the instances by byte offset; it is not de-identified (named explicitly, it is an error entry).
      if (name.startsWith('.') || name === 'DICOMDIR') continue;
      const p = path.join(dir, name);
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(p);
      } catch {
        // A link to nothing: an instance by its name is an error entry when read, like any unreadable file.
        st = undefined;
      }
      if (st?.isDirectory()) walk(p);
      else if ((!st || st.isFile()) && looksLikeDicom(p, name)) out.push({ file: p, path: p });
    }
  };
  const list = inputs.length === 0 ? ['-'] : inputs;
  for (const i of list) {
    if (i === '-') {
      out.push({ file: '-', path: null });
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(i);
    } catch {
      throw new DeidError('INPUT_NOT_FOUND', i);
    }
    if (st.isDirectory()) walk(i);
    else out.push({ file: i, path: i, ...(st.isFile() ? {} : { once: true }) });
  }
  if (out.filter((x) => x.path === null).length > 1) throw new DeidError('USAGE', 'stdin (-) given more than once');
  return out;
}
