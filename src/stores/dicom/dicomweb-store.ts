import { mkdtemp, rm, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { failed } from '../../core/record.js';
import { DicomStoreError } from './codes.js';
import { TAG } from './dicom-json.js';
import { filterLine, parseDicomFilter, type FilterEntry } from './filter.js';
import { dicomWebFetch } from './http.js';
import { boundaryOf } from './multipart-core.js';
import { singleDicomPart } from './multipart-stream.js';
import { qidoInstancePlaces, qidoUids } from './qido.js';
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

  constructor(readonly uri: string, readonly base: string, private readonly opts: DicomStoreOptions = {}) {}

  instancePath(r: { study: string; series: string; instance: string }): string {
    return `/studies/${checkUid(r.study, 'study')}/series/${checkUid(r.series, 'series')}/instances/${checkUid(r.instance, 'instance')}`;
  }

  async *list(filter?: string[], opts: ListOptions = {}): AsyncGenerator<InstanceRef> {
    const entries: (FilterEntry | undefined)[] = filter ? parseDicomFilter(filter) : [undefined];
    const report = (where: string, code: 'STORE_UID_INVALID' | 'STORE_INSTANCE_NOT_FOUND', reason: string): void => {
      if (!opts.onFailed) throw new DicomStoreError(code, where);
      opts.onFailed(failed(code, reason, { file: `${this.uri}${where}` }));
    };
    for (const e of entries) {
      let n = 0;
      for await (const ref of this.listUnder(e, report)) {
        n++;
        yield ref;
      }
      if (e && n === 0) report(filterLine(e), 'STORE_INSTANCE_NOT_FOUND', 'filter line matched no instance');
    }
  }

  private async *listUnder(e: FilterEntry | undefined, report: (where: string, code: 'STORE_UID_INVALID', reason: string) => void): AsyncGenerator<InstanceRef> {
    const o = this.opts;
    const studies = e ? one(e.study) : qidoUids(this.base, '/studies', TAG.StudyInstanceUID, o);
    for await (const st of studies) {
      if (!('uid' in st)) {
        report('/studies', 'STORE_UID_INVALID', 'study without a valid UID');
        continue;
      }
      const series = e?.series ? one(e.series) : qidoUids(this.base, `/studies/${st.uid}/series`, TAG.SeriesInstanceUID, o);
      for await (const se of series) {
        if (!('uid' in se)) {
          report(`/studies/${st.uid}/series`, 'STORE_UID_INVALID', 'series without a valid UID');
          continue;
        }
        const where = `/studies/${st.uid}/series/${se.uid}/instances`;
        const query: Record<string, string> = e?.instance ? { SOPInstanceUID: e.instance } : {};
        for await (const it of qidoUids(this.base, where, TAG.SOPInstanceUID, o, query)) {
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
   */
  private async refuseElsewhere(uids: { study: string; series: string; instance: string }): Promise<void> {
    const places = await qidoInstancePlaces(this.base, uids.instance, this.opts);
    const other = places.find((p) => p.study !== uids.study || p.series !== uids.series);
    if (other) {
      throw new DicomStoreError('DICOM_DUPLICATE_SOP', `instance ${uids.instance} is already stored under /studies/${other.study}/series/${other.series}`);
    }
  }

  async ensure(): Promise<void> {
    const res = await dicomWebFetch(this.base, { method: 'GET', path: '/studies?limit=1', headers: { accept: 'application/dicom+json' } }, this.opts);
    await res.body?.cancel().catch(() => undefined);
    if (res.status !== 200 && res.status !== 204) throw new DicomStoreError('STORE_REJECTED', `GET /studies HTTP ${res.status}`);
  }

  async close(): Promise<void> {
    const dir = this.spoolDir;
    this.spoolDir = undefined;
    if (dir) await rm(await dir, { recursive: true, force: true });
  }
}

async function* one(uid: string): AsyncGenerator<{ uid: string }> {
  yield { uid };
}
