import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DicomStoreError } from './codes.js';
import type { DicomStoreKind } from './types.js';

export interface ParsedDicomUri {
  kind: DicomStoreKind;
  /** The address as named in refs, messages and reports (no credentials). */
  display: string;
  /** Folder path, or the DICOMweb base as an http(s) URL without a trailing slash. */
  target: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;

/**
 * `file:` URLs and plain paths (one letter before a colon is a Windows drive)
 * are folders; `dicomweb+http:` / `dicomweb+https:` name a DICOMweb base
 * (e.g. dicomweb+http://127.0.0.1:8042/dicom-web).
 */
export function parseDicomStoreUri(uri: string): ParsedDicomUri {
  if (uri.length === 0) throw new DicomStoreError('STORE_URI_INVALID', 'empty');
  const m = SCHEME.exec(uri);
  if (!m) return { kind: 'folder', display: uri, target: path.resolve(uri) };
  const scheme = m[1]!.toLowerCase();
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw new DicomStoreError('STORE_URI_INVALID', `${scheme}: URI does not parse`);
  }
  if (scheme === 'file') return { kind: 'folder', display: u.href, target: fileURLToPath(u) };
  if (scheme === 'dicomweb+http' || scheme === 'dicomweb+https') {
    if (u.username || u.password) throw new DicomStoreError('STORE_URI_INVALID', 'credentials in the URI are not accepted (use --source-headers / --destination-headers or $DEID_SOURCE_AUTHORIZATION / $DEID_DESTINATION_AUTHORIZATION)');
    if (u.search || u.hash) throw new DicomStoreError('STORE_URI_INVALID', 'query or fragment in a DICOMweb base');
    if (!u.host) throw new DicomStoreError('STORE_URI_INVALID', 'no host');
    const base = `${scheme.slice('dicomweb+'.length)}://${u.host}${u.pathname}`.replace(/\/+$/, '');
    return { kind: 'dicomweb', display: `dicomweb+${base}`, target: base };
  }
  throw new DicomStoreError('STORE_URI_INVALID', `unsupported scheme ${scheme}`);
}
