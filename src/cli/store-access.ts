import fs from 'node:fs';
import { DeidError } from '../core/errors.js';
import type { RetryPolicy } from '../stores/retry.js';
import { parseStoreUri } from '../stores/store-uri.js';

/** How an HTTP store (FHIR server, DICOMweb service) is reached: extra headers, timeout, retries. */
export interface StoreAccess {
  headers?: Record<string, string>;
  timeoutMs?: number;
  retry?: RetryPolicy;
}

export interface StoreAccessCliOptions {
  sourceHeaders?: string;
  destinationHeaders?: string;
  timeout?: string;
  retries?: string;
}

/** RFC 9110 §5.6.2 token. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible ASCII, space and tab, and obs-text (RFC 9110 §5.5); no control characters. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Set by deid or by the HTTP client itself: a header file may not change the framing of a request. */
const RESERVED = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'proxy-connection']);

export const MAX_TIMEOUT_SECONDS = 86_400;
export const MAX_RETRIES = 100;

/**
 * Headers of a file, one `Name: value` a line; blank lines and lines starting
 * with `#` are skipped. Errors name the option, the file and the line number,
 * never what the line holds (it may be a secret). A file others can read is
 * accepted with a warning on `warn` (secrets mounted by an orchestrator are
 * often 0644).
 */
export function readHeaderFile(file: string, option: string, warn: (msg: string) => void = (m) => process.stderr.write(m)): Record<string, string> {
  const bad = (detail: string): DeidError => new DeidError('CONFIG_INVALID', `${option} ${file}: ${detail}`);
  const unreadable = (e: unknown): DeidError => {
    const code = (e as { code?: unknown } | null)?.code;
    return bad(`cannot be read (${typeof code === 'string' ? code : 'error'})`);
  };
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw unreadable(e);
  }
  if (!st.isFile()) throw bad('not a regular file');
  if (st.size > 64 * 1024) throw bad('larger than 64 KiB');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw unreadable(e);
  }
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    warn(`deid: warning: ${option} ${file} can be read by other users (mode ${(st.mode & 0o777).toString(8).padStart(3, '0')}); chmod 600 it\n`);
  }
  const headers: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const at = `line ${i + 1}`;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const colon = line.indexOf(':');
    if (colon < 0) throw bad(`${at}: not "Name: value"`);
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (!TOKEN.test(name)) throw bad(`${at}: not a valid header name`);
    if (!FIELD_VALUE.test(value)) throw bad(`${at}: the value holds control characters`);
    if (value === '') throw bad(`${at}: empty value`);
    const key = name.toLowerCase();
    if (RESERVED.has(key)) throw bad(`${at}: ${key} is set by deid, not by a header file`);
    if (Object.hasOwn(headers, key)) throw bad(`${at}: ${key} is given twice`);
    headers[key] = value;
  });
  return headers;
}

/** The Authorization value of an environment variable (empty: unset). */
function authorizationFromEnv(variable: string, env: NodeJS.ProcessEnv): string | undefined {
  const v = env[variable];
  if (v === undefined || v.trim() === '') return undefined;
  if (!FIELD_VALUE.test(v) || /[\r\n]/.test(v)) throw new DeidError('CONFIG_INVALID', `$${variable}: the value holds control characters`);
  return v.trim();
}

function positiveSeconds(v: string): number {
  const t = v.trim();
  const n = Number(t);
  if (!/^\d+(\.\d+)?$/.test(t) || !(n > 0) || n > MAX_TIMEOUT_SECONDS) {
    throw new DeidError('USAGE', `--timeout must be a positive number of seconds, at most ${MAX_TIMEOUT_SECONDS}`);
  }
  return Math.max(1, Math.round(n * 1000));
}

function retryCount(v: string): number {
  const t = v.trim();
  if (!/^\d+$/.test(t) || Number(t) > MAX_RETRIES) throw new DeidError('USAGE', `--retries must be a whole number from 0 to ${MAX_RETRIES}`);
  return Number(t);
}

/** --timeout and --retries, checked before anything else is done. */
export function parseRequestOptions(o: StoreAccessCliOptions): Pick<StoreAccess, 'timeoutMs' | 'retry'> {
  const out: Pick<StoreAccess, 'timeoutMs' | 'retry'> = {};
  if (o.timeout !== undefined) out.timeoutMs = positiveSeconds(o.timeout);
  if (o.retries !== undefined) out.retry = { attempts: retryCount(o.retries) + 1 };
  return out;
}

/**
 * Access to one side (source or destination) of a store command: headers of
 * `--<side>-headers FILE`, Authorization of `$DEID_<SIDE>_AUTHORIZATION`
 * (both naming Authorization is refused), and the request options. Nothing
 * here is ever written to the operation record: a resume gives them again.
 */
export function storeAccess(side: 'source' | 'destination', file: string | undefined, request: Pick<StoreAccess, 'timeoutMs' | 'retry'>, env: NodeJS.ProcessEnv = process.env, warn?: (msg: string) => void): StoreAccess {
  const option = `--${side}-headers`;
  const variable = `DEID_${side.toUpperCase()}_AUTHORIZATION`;
  const headers = file !== undefined ? readHeaderFile(file, option, warn) : {};
  const auth = authorizationFromEnv(variable, env);
  if (auth !== undefined) {
    if (Object.hasOwn(headers, 'authorization')) throw new DeidError('USAGE', `Authorization is given both by ${option} and by $${variable}; keep one`);
    headers.authorization = auth;
  }
  return { ...(Object.keys(headers).length > 0 ? { headers } : {}), ...request };
}

/** `--source-headers` / `--destination-headers` for a store that is not reached over HTTP. */
export function refuseHeadersFor(side: 'source' | 'destination', file: string | undefined, isHttp: boolean): void {
  if (file !== undefined && !isHttp) throw new DeidError('USAGE', `--${side}-headers is for a store reached over http(s)`);
}

/**
 * Warns (never echoing it) when a store URL on the command line holds a
 * password: `ps` shows the command line to every local user. A URL that does
 * not parse is left to the store's own error.
 */
export function warnPasswordInUri(side: 'source' | 'destination', uri: string, warn: (msg: string) => void = (m) => process.stderr.write(m)): void {
  let hasPassword = false;
  try {
    hasPassword = parseStoreUri(uri).passwordInUri === true;
  } catch {
    return;
  }
  if (hasPassword) {
    warn(`deid: warning: the ${side} URL holds a password, which other local users can read in the process list; give it in $PGPASSWORD or a password file ($PGPASSFILE, ~/.pgpass) instead\n`);
  }
}
