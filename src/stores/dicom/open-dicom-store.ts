import { parseDicomStoreUri } from './dicom-uri.js';
import { DicomWebStore } from './dicomweb-store.js';
import { FolderDicomStore } from './folder-store.js';
import type { DicomStore, DicomStoreOptions } from './types.js';

/**
 * Store for a URI: `file:` URLs and plain paths are folders,
 * `dicomweb+http(s)://host/base` a DICOMweb service. Throws DicomStoreError
 * STORE_URI_INVALID for anything else. Nothing is created or contacted until
 * ensure(), list(), read() or write().
 */
export function openDicomStore(uri: string, opts: DicomStoreOptions = {}): DicomStore {
  const p = parseDicomStoreUri(uri);
  return p.kind === 'folder' ? new FolderDicomStore(p.display, p.target) : new DicomWebStore(p.display, p.target, opts);
}
