/**
 * Streaming DICOM part-10: tokenizer, editing hook and writer.
 * See tokens.ts for the token model.
 */
export { dicomTokenizer, type TokenizerOptions } from './tokenizer.js';
export { dicomWriter, type WriterOptions } from './writer.js';
export {
  dicomEditor, EditorCore, keep, remove, replace,
  type EditDecision, type EditRule, type ElementView, type EditorOptions,
} from './edit.js';
export { processInstance, type ProcessOptions } from './process.js';
export { TokenizerCore } from './tokenizer-core.js';
export { WriterCore } from './writer-core.js';
export { lookupTag, lookupKeyword, tagOf, keywordOf, implicitVR, type DictEntry } from './dictionary.js';
export { encodeReplacement, valueText, asciiSafe } from './value.js';
export { formatTag, isPrivateTag, UNDEFINED_LENGTH } from './tags.js';
export {
  transferSyntaxInfo, TS_IMPLICIT_LE, TS_EXPLICIT_LE, TS_DEFLATED_LE, TS_EXPLICIT_BE,
  type Syntax, type TransferSyntaxInfo,
} from './syntax.js';
export type * from './tokens.js';
