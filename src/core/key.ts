import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { DeidError } from './errors.js';

export const MIN_KEY_BYTES = 32;

export interface LoadedKey {
  bytes: Buffer;
  /** 'file' | 'env' | 'random' — random keys do not link across runs. */
  source: 'file' | 'env' | 'random' | 'given';
}

/**
 * Decodes key text: hex (64+ hex digits), else base64 (44+ chars decoding to
 * 32+ bytes), else the raw bytes themselves. Trailing newlines are ignored in
 * the text forms so `openssl rand -hex 32 > key` works.
 */
export function decodeKey(raw: Buffer): Buffer {
  const text = raw.toString('latin1').replace(/[\r\n]+$/, '');
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 && text.length >= MIN_KEY_BYTES * 2) {
    return Buffer.from(text, 'hex');
  }
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) && text.length >= 43) {
    const b = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (b.length >= MIN_KEY_BYTES) return b;
  }
  if (raw.length >= MIN_KEY_BYTES) return raw;
  throw new DeidError('KEY_INVALID', `a key must hold at least ${MIN_KEY_BYTES} bytes (hex, base64 or raw)`);
}

export function loadKey(opts: { keyFile?: string; env?: NodeJS.ProcessEnv }): LoadedKey {
  const env = opts.env ?? process.env;
  if (opts.keyFile) {
    let raw: Buffer;
    try {
      raw = readFileSync(opts.keyFile);
    } catch {
      throw new DeidError('KEY_INVALID', `cannot read key file ${opts.keyFile}`);
    }
    return { bytes: decodeKey(raw), source: 'file' };
  }
  const fromEnv = env.DEID_KEY;
  if (fromEnv !== undefined && fromEnv !== '') {
    return { bytes: decodeKey(Buffer.from(fromEnv, 'latin1')), source: 'env' };
  }
  return { bytes: randomBytes(MIN_KEY_BYTES), source: 'random' };
}
