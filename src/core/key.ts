import { readBounded } from './read-bounded.js';
import { randomBytes } from 'node:crypto';
import { DeidError } from './errors.js';

export const MIN_KEY_BYTES = 32;

export interface LoadedKey {
  bytes: Buffer;
  /** 'file' | 'env' | 'random' — random keys do not link across runs. */
  source: 'file' | 'env' | 'random' | 'given';
}

/**
 * Decodes key text: hex (64+ hex digits), else base64 / base64url (decoding
 * to 32+ bytes), else the raw bytes themselves (32+). Line breaks anywhere
 * (`openssl rand -hex 32 > key`, base64 wrapped at 64 or 76 columns) and
 * spaces or tabs around the text are ignored in the text forms. Text that is
 * all hex digits, or all base64 characters, is always read as that text
 * form: `openssl rand -hex 16` (16 bytes) is refused, not taken as 33 raw
 * bytes of text. Errors give lengths only, never the key.
 */
export function decodeKey(raw: Buffer): Buffer {
  const text = raw.toString('latin1').replace(/[\r\n]+/g, '').replace(/^[ \t]+|[ \t]+$/g, '');
  if (/^[0-9a-fA-F]+$/.test(text)) {
    if (text.length % 2 === 0 && text.length >= MIN_KEY_BYTES * 2) return Buffer.from(text, 'hex');
    throw new DeidError('KEY_INVALID', `a hex key needs at least ${MIN_KEY_BYTES * 2} hex digits (${MIN_KEY_BYTES} bytes), in pairs; this one has ${text.length}`);
  }
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const b = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (b.length >= MIN_KEY_BYTES) return b;
    throw new DeidError('KEY_INVALID', `a base64 key must decode to at least ${MIN_KEY_BYTES} bytes; this one decodes to ${b.length}`);
  }
  if (raw.length >= MIN_KEY_BYTES) return raw;
  throw new DeidError('KEY_INVALID', `a key must hold at least ${MIN_KEY_BYTES} bytes (hex, base64 or raw)`);
}

/** A key file holds a key (hex, base64 or raw bytes), not a data set: more than this is refused. */
export const MAX_KEY_FILE_BYTES = 1024 * 1024;

export function loadKey(opts: { keyFile?: string; env?: NodeJS.ProcessEnv }): LoadedKey {
  const env = opts.env ?? process.env;
  if (opts.keyFile) {
    let read: { bytes: Buffer; over: boolean };
    try {
      read = readBounded(opts.keyFile, MAX_KEY_FILE_BYTES);
    } catch {
      throw new DeidError('KEY_INVALID', `cannot read key file ${opts.keyFile}`);
    }
    if (read.over) throw new DeidError('KEY_INVALID', `key file ${opts.keyFile} is larger than ${MAX_KEY_FILE_BYTES} bytes`);
    return { bytes: decodeKey(read.bytes), source: 'file' };
  }
  const fromEnv = env.DEID_KEY;
  if (fromEnv !== undefined && fromEnv !== '') {
    return { bytes: decodeKey(Buffer.from(fromEnv, 'latin1')), source: 'env' };
  }
  return { bytes: randomBytes(MIN_KEY_BYTES), source: 'random' };
}
