import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { toDeidError } from '../core/errors.js';
import { dicomEditor, type EditorOptions, type EditRule } from './edit.js';
import { dicomTokenizer, type TokenizerOptions } from './tokenizer.js';
import { dicomWriter, type WriterOptions } from './writer.js';

export interface ProcessOptions {
  tokenizer?: TokenizerOptions;
  editor?: EditorOptions;
  writer?: WriterOptions;
}

/**
 * Streams one instance: input bytes -> tokens -> rule -> bytes. Rejects with
 * a DeidError (DICOM_TRUNCATED, DICOM_MALFORMED, DICOM_UNSUPPORTED...) and
 * destroys `output` on failure; since bytes may already have been written
 * by then, a file sink must write to a temporary name and rename on success.
 */
export async function processInstance(
  input: Readable,
  output: Writable,
  edit: EditRule | readonly EditRule[],
  opts: ProcessOptions = {},
): Promise<void> {
  try {
    await pipeline(input, dicomTokenizer(opts.tokenizer), dicomEditor(edit, opts.editor), dicomWriter(opts.writer), output);
  } catch (e) {
    // Parse errors are DeidErrors already; anything else (a failing sink, a read error) is not the data's fault.
    throw toDeidError(e, 'INTERNAL');
  }
}
