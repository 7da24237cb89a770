import { mkdtemp, rm, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { ErrorCodes } from '../../core/errors.js';
import { failed } from '../../core/record.js';
import { codeOf, DicomStoreError } from './codes.js';
import { TAG } from './dicom-json.js';
import { filterLine, parseDicomFilter, type FilterEntry } from './filter.js';
import { dicomWebFetch } from './http.js';
import { boundaryOf } from './multipart-core.js';
import { singleDicomPart } from './multipart-stream.js';
import { qidoUids, type QidoResult } from './qido.js';
import { SopPlaces } from './sop-places.js';
import { spoolInstance } from './spool.js';
import { stowInstance } from './stow.js';
import type { DicomStore, DicomStoreOptions, InstanceRef, ListOptions } from './types.js';
import { checkUid } from './uid.js';

/** Original transfer syntax, as stored (PS3.18 8.7.3.5.2: `*` asks for no transcoding). */
const WADO_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*';

/**
 * A DICOMweb server: STOW-RS to write, QIDO-RS to list (study → series →
 * instances, paged), WADO-RS to read. `base` is the http(s) URL of the
 * service root; `uri` the dicomweb+ form named in refs and messages.
 */
export class DicomWebStore implements DicomStore {
  readonly kind = 'dicomweb' as const;
  private spoolDir: Promise<string> | undefined;
  private readonly places: SopPlaces;

  constructor(readonly uri: string, readonly base: string, private readonly opts: DicomStoreOptions = {}) {
    this.places = new SopPlaces(base, opts);
  }

  instancePath(r: { study: string; series: string; instance: string }): string {
    return `/studies/${checkUid(r.study, 'study')}/series/${checkUid(r.series, 'series')}/instances/${checkUid(r.instance, 'instance')}`;
  }

  async *list(filter?: string[], opts: ListOptions = {}): AsyncGenerator<InstanceRef> {
    const entries: (FilterEntry | undefined)[] = filter ? parseDicomFilter(filter) : [undefined];
    let forbidden = 0;
    const report: Report = (where, code, reason) => {
      if (code === 'STORE_FORBIDDEN') forbidden++;
      if (!opts.onFailed) throw new DicomStoreError(code, where);
      opts.onFailed(failed(code, reason, { file: `${this.uri}${where}` }));
    };
    for (const e of entries) {
      let n = 0;
      const refused = forbidden;
      for await (const ref of this.listUnder(e, report)) {
        n++;
        yield ref;
      }
      if (e && n === 0 && forbidden === refused) report(filterLine(e), 'STORE_INSTANCE_NOT_FOUND', 'filter line matched no instance');
    }
  }

  /**
   * A 403 on the list of all studies stops the run (STORE_UNAUTHORIZED: these
   * credentials may read nothing); on the series of one study or the
   * instances of one series it fails just that, STORE_FORBIDDEN at its path.
   */
  private async *listUnder(e: FilterEntry | undefined, report: Report): AsyncGenerator<InstanceRef> {
    const o = this.opts;
    const studies = e ? one(e.study) : allStudies(qidoUids(this.base, '/studies', TAG.StudyInstanceUID, o));
    for await (const st of studies) {
      if (!('uid' in st)) {
        report('/studies', 'STORE_UID_INVALID', 'study without a valid UID');
        continue;
      }
      const seriesAt = `/studies/${st.uid}/series`;
      const series = e?.series ? one(e.series) : unlessForbidden(qidoUids(this.base, seriesAt, TAG.SeriesInstanceUID, o), seriesAt, report);
      for await (const se of series) {
        if (!('uid' in se)) {
          report(seriesAt, 'STORE_UID_INVALID', 'series without a valid UID');
          continue;
        }
        const where = `/studies/${st.uid}/series/${se.uid}/instances`;
        const query: Record<string, string> = e?.instance ? { SOPInstanceUID: e.instance } : {};
        for await (const it of unlessForbidden(qidoUids(this.base, where, TAG.SOPInstanceUID, o, query), where, report)) {
          if (!('uid' in it)) {
            report(where, 'STORE_UID_INVALID', 'instance without a valid UID');
            continue;
          }
          if (e?.instance && it.uid !== e.instance) continue; // a server that ignores the match key
          const ref = { study: st.uid, series: se.uid, instance: it.uid, location: '' };
          ref.location = this.base + this.instancePath(ref);
          yield ref;
        }
      }
    }
  }

  async read(ref: InstanceRef): Promise<Readable> {
    const p = this.instancePath(ref);
    const res = await dicomWebFetch(this.base, { method: 'GET', path: p, headers: { accept: WADO_ACCEPT } }, this.opts);
    if (res.status === 404) {
      await res.body?.cancel().catch(() => undefined);
      throw new DicomStoreError('STORE_INSTANCE_NOT_FOUND', p);
    }
    if (res.status !== 200 || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      throw new DicomStoreError('STORE_REJECTED', `GET ${p} HTTP ${res.status}`);
    }
    const type = res.headers.get('content-type');
    const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
    if (/^\s*application\/dicom\s*(;|$)/i.test(type ?? '')) return body;
    const boundary = boundaryOf(type);
    if (!boundary) {
      body.destroy();
      throw new DicomStoreError('STORE_BAD_RESPONSE', `GET ${p}: not multipart/related`);
    }
    const part: Transform = singleDicomPart(boundary);
    // A body that fails midway errors `part` with a code (the fetch error says nothing useful).
    body.on('error', () => part.destroy(new DicomStoreError('STORE_READ_FAILED', `GET ${p}: body cut short`)));
    part.on('close', () => body.destroy());
    body.pipe(part);
    return part;
  }

  async write(bytes: Readable | Buffer, ref?: InstanceRef): Promise<InstanceRef> {
    void ref; // named by the caller's own error handling; UIDs come from the bytes
    const dir = await (this.spoolDir ??= mkdtemp(path.join(os.tmpdir(), 'deid-stow-')));
    const s = await spoolInstance(bytes, dir);
    try {
      await this.refuseElsewhere(s.uids);
      await stowInstance(this.base, s, this.opts);
    } finally {
      await unlink(s.path).catch(() => undefined);
    }
    return { ...s.uids, location: this.base + this.instancePath(s.uids) };
  }

  /**
   * A SOPInstanceUID names one instance wherever it is: the server may not
   * hold it under another study or series too (two instances of one UID; a
   * server keys instances by all three UIDs, so it would keep both). Such an
   * instance is DICOM_DUPLICATE_SOP and is not sent; the one stored stays.
   * The same place is left to STOW (the same instance again, a redone study).
   * A server without the search of all instances is asked within the study
   * only, or not at all (see SopPlaces).
   */
  private async refuseElsewhere(uids: { study: string; series: string; instance: string }): Promise<void> {
    const places = await this.places.of(uids);
    const other = places.find((p) => p.study !== uids.study || p.series !== uids.series);
    if (other) {
      throw new DicomStoreError('DICOM_DUPLICATE_SOP', `instance ${uids.instance} is already stored under /studies/${other.study}/series/${other.series}`);
    }
  }

  /** A 403 here stops the run as a 401 does (STORE_UNAUTHORIZED): nothing could be stored. */
  async ensure(): Promise<void> {
    const res = await dicomWebFetch(this.base, { method: 'GET', path: '/studies?limit=1', headers: { accept: 'application/dicom+json' } }, this.opts).catch(unauthorized);
    await res.body?.cancel().catch(() => undefined);
    if (res.status !== 200 && res.status !== 204) throw new DicomStoreError('STORE_REJECTED', `GET /studies HTTP ${res.status}`);
  }

  async close(): Promise<void> {
    const dir = this.spoolDir;
    this.spoolDir = undefined;
    if (dir) await rm(await dir, { recursive: true, force: true });
  }
}

type Report = (where: string, code: 'STORE_UID_INVALID' | 'STORE_INSTANCE_NOT_FOUND' | 'STORE_FORBIDDEN', reason: string) => void;

async function* one(uid: string): AsyncGenerator<{ uid: string }> {
  yield { uid };
}

/** A 403 as STORE_UNAUTHORIZED (the run stops); anything else as it was thrown. */
function unauthorized(e: unknown): never {
  if (codeOf(e) === 'STORE_FORBIDDEN') throw new DicomStoreError('STORE_UNAUTHORIZED', (e as Error).message.slice(ErrorCodes.STORE_FORBIDDEN.length + 2));
  throw e;
}

async function* allStudies(studies: AsyncGenerator<QidoResult>): AsyncGenerator<QidoResult> {
  try {
    yield* studies;
  } catch (e) {
    unauthorized(e);
  }
}

/** The results of one search; a 403 ends them with a STORE_FORBIDDEN failure at `where` (the listing goes on). */
async function* unlessForbidden(results: AsyncGenerator<QidoResult>, where: string, report: Report): AsyncGenerator<QidoResult> {
  try {
    yield* results;
  } catch (e) {
    if (codeOf(e) !== 'STORE_FORBIDDEN') throw e;
    report(where, 'STORE_FORBIDDEN', (e as DicomStoreError).message);
  }
}
