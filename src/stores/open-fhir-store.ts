import { FileFhirStore } from './file-store.js';
import { PgFhirStore, type PgStoreOptions } from './pg-store.js';
import { RestFhirStore, type RestStoreOptions } from './rest-store.js';
import { parseStoreUri } from './store-uri.js';
import type { FhirStore } from './types.js';

export interface OpenFhirStoreOptions {
  postgres?: PgStoreOptions;
  rest?: RestStoreOptions;
}

/**
 * Store for a URI: `file:` URLs and plain paths are bulk folders,
 * `postgres:`/`postgresql:` a table (`?schema=&table=`), `http(s):` a FHIR
 * server base URL. Throws StoreError STORE_URI_INVALID for anything else.
 * Nothing is created until ensure() or a writer is used.
 */
export async function openFhirStore(uri: string, opts: OpenFhirStoreOptions = {}): Promise<FhirStore> {
  const p = parseStoreUri(uri);
  if (p.kind === 'file') return new FileFhirStore(p.display, p.target);
  if (p.kind === 'postgres') return new PgFhirStore(p.display, p.target, opts.postgres);
  return new RestFhirStore(p.display, p.target, opts.rest);
}
