import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from './codes.js';
import { urlHasPassword } from './pg-password.js';
import type { FhirStoreKind } from './types.js';

export interface ParsedStoreUri {
  kind: FhirStoreKind;
  /** The address without credentials: safe for locations, logs and reports. */
  display: string;
  /** Folder path (file) or the full URL (postgres, rest). */
  target: string;
  /** A postgres URL holding a password (user info or `?password=`): every local user can read it in the process list. */
  passwordInUri?: boolean;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;

/** Credentials never leave this function in `display`. */
function withoutCredentials(u: URL, keep: readonly string[]): string {
  const c = new URL(u.href);
  c.password = '';
  const q = new URLSearchParams();
  for (const k of keep) {
    const v = c.searchParams.get(k);
    if (v !== null) q.set(k, v);
  }
  c.search = q.toString();
  c.hash = '';
  return c.href.replace(/\/+$/, '');
}

/**
 * Store URI → backend. `file:` URLs and plain paths (no scheme; one letter
 * before a colon is a Windows drive) are folders; `postgres:`/`postgresql:`
 * and `http:`/`https:` name the other backends.
 */
export function parseStoreUri(uri: string): ParsedStoreUri {
  if (uri.length === 0) throw new StoreError('STORE_URI_INVALID', 'empty');
  const m = SCHEME.exec(uri);
  if (!m) return { kind: 'file', display: uri, target: path.resolve(uri) };
  const scheme = m[1]!.toLowerCase();
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw new StoreError('STORE_URI_INVALID', `${scheme}: URI does not parse`);
  }
  if (scheme === 'file') {
    const target = fileURLToPath(u);
    return { kind: 'file', display: u.href, target };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const p: ParsedStoreUri = { kind: 'postgres', display: withoutCredentials(u, ['schema', 'table']), target: u.href };
    if (urlHasPassword(u)) p.passwordInUri = true;
    return p;
  }
  if (scheme === 'http' || scheme === 'https') {
    if (u.username || u.password) throw new StoreError('STORE_URI_INVALID', 'credentials in a FHIR server URL are not accepted (use --source-headers / --destination-headers or $DEID_SOURCE_AUTHORIZATION / $DEID_DESTINATION_AUTHORIZATION)');
    return { kind: 'rest', display: withoutCredentials(u, []), target: u.href.replace(/\/+$/, '') };
  }
  throw new StoreError('STORE_URI_INVALID', `unsupported scheme ${scheme}`);
}
