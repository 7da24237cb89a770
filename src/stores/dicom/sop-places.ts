import { urlPath } from '../rest-client.js';
import { qidoInstancePlaces, type InstancePlace } from './qido.js';
import type { DicomStoreOptions } from './types.js';

/** How far the server lets a SOPInstanceUID be searched: all instances, one study's, or not at all. */
type Scope = 'all' | 'study' | 'none';

/**
 * Where a server holds a SOPInstanceUID, for the duplicate check before a
 * STOW. Not every server offers the search of all instances (PS3.18 10.6
 * lets it answer 400, 405 or 501): then the study's instances are searched,
 * and when that is refused too, nothing (as with a server that answers 404).
 * Each step down is warned of once per store; the scope is kept for the
 * store's later writes. Writes in flight when a search is refused ask again
 * in the scope then current, so none fails because of the switch.
 */
export class SopPlaces {
  private scope: Scope = 'all';

  constructor(private readonly base: string, private readonly opts: DicomStoreOptions) {}

  async of(uids: { study: string; instance: string }): Promise<InstancePlace[]> {
    for (;;) {
      const scope = this.scope;
      if (scope === 'none') return [];
      const r = await qidoInstancePlaces(this.base, uids.instance, this.opts, scope === 'study' ? uids.study : undefined);
      if (Array.isArray(r)) return r;
      this.narrow(scope, r.refused);
    }
  }

  /** One step down from `from`, unless another write took it already (the warning is given once). */
  private narrow(from: Scope, status: number): void {
    if (this.scope !== from) return;
    const at = `DICOMweb ${urlPath(this.base)}`;
    if (from === 'all') {
      this.scope = 'study';
      this.opts.onWarning?.(`${at}: the search of all instances (GET /instances) was refused (HTTP ${status}); duplicate SOPInstanceUIDs are now checked within each study only, duplicates across studies can no longer be checked`);
    } else {
      this.scope = 'none';
      this.opts.onWarning?.(`${at}: the search of a study's instances (GET /studies/{study}/instances) was refused too (HTTP ${status}); duplicate SOPInstanceUIDs are no longer checked before storing`);
    }
  }
}
