import { DicomStoreError } from './codes.js';
import { firstString, isDicomJson, TAG } from './dicom-json.js';
import { dicomWebFetch, jsonBody } from './http.js';
import type { DicomStoreOptions } from './types.js';
import { isValidUid } from './uid.js';

/** A UID from a QIDO answer, or a result whose UID was missing or not valid. */
export type QidoResult = { uid: string } | { invalid: true };

/**
 * Pages through one QIDO-RS search (PS3.18 10.6) with limit/offset and
 * yields the UID `tag` of every result. A 404 or 204 is an empty result. A
 * server that ignores `offset` (the same first UID on two pages) is refused
 * rather than listed forever.
 */
export async function* qidoUids(base: string, path: string, tag: string, o: DicomStoreOptions, query: Record<string, string> = {}): AsyncGenerator<QidoResult> {
  const limit = Math.max(1, o.pageSize ?? 100);
  let previousFirst: string | undefined;
  for (let offset = 0; ; offset += limit) {
    const q = new URLSearchParams({ ...query, limit: String(limit), offset: String(offset) });
    const res = await dicomWebFetch(base, { method: 'GET', path: `${path}?${q}`, headers: { accept: 'application/dicom+json' } }, o);
    if (res.status === 404 || res.status === 204) {
      await res.body?.cancel().catch(() => undefined);
      return;
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      throw new DicomStoreError('STORE_REJECTED', `GET ${path} HTTP ${res.status}`);
    }
    const page = await jsonBody(res, `GET ${path}`);
    if (page === undefined) return;
    if (!Array.isArray(page)) throw new DicomStoreError('STORE_BAD_RESPONSE', `GET ${path}: not an array`);
    const uids = page.map((r) => (isDicomJson(r) ? firstString(r, tag) : undefined));
    if (uids.length > 0 && offset > 0 && uids[0] === previousFirst) {
      throw new DicomStoreError('STORE_BAD_RESPONSE', `GET ${path}: paging does not advance`);
    }
    previousFirst = uids[0];
    for (const u of uids) yield u !== undefined && isValidUid(u) ? { uid: u } : { invalid: true };
    if (page.length < limit) return;
  }
}

/** Where a stored instance is: its study and series. */
export interface InstancePlace {
  study: string;
  series: string;
}

/** Statuses of a server that does not offer a search (bad request, method not allowed, not implemented). */
const SEARCH_REFUSED = new Set([400, 405, 501]);

/**
 * Every place the server holds an instance with this SOPInstanceUID, by a
 * QIDO-RS search (PS3.18 10.6) of all instances (`{base}/instances`) or, with
 * `study`, of that study's instances (`{base}/studies/{study}/instances`). A
 * 404 or 204 is none; a 400, 405 or 501 (a server without this search) is
 * `{ refused: status }`. Results of another SOPInstanceUID (a server that
 * ignores the match key) are left out; one without valid study (when not
 * scoped) and series UIDs cannot be told apart from ours and is
 * STORE_BAD_RESPONSE.
 */
export async function qidoInstancePlaces(base: string, sopInstanceUid: string, o: DicomStoreOptions, study?: string): Promise<InstancePlace[] | { refused: number }> {
  const q = new URLSearchParams({ SOPInstanceUID: sopInstanceUid, includefield: `${TAG.StudyInstanceUID},${TAG.SeriesInstanceUID}` });
  const path = study === undefined ? '/instances' : `/studies/${study}/instances`;
  const res = await dicomWebFetch(base, { method: 'GET', path: `${path}?${q}`, headers: { accept: 'application/dicom+json' } }, o);
  if (res.status === 404 || res.status === 204 || SEARCH_REFUSED.has(res.status)) {
    await res.body?.cancel().catch(() => undefined);
    return SEARCH_REFUSED.has(res.status) ? { refused: res.status } : [];
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => undefined);
    throw new DicomStoreError('STORE_REJECTED', `GET ${path} (SOPInstanceUID search) HTTP ${res.status}`);
  }
  const page = await jsonBody(res, `GET ${path}`);
  if (page === undefined) return [];
  if (!Array.isArray(page)) throw new DicomStoreError('STORE_BAD_RESPONSE', `GET ${path}: not an array`);
  const places: InstancePlace[] = [];
  for (const r of page) {
    if (!isDicomJson(r) || firstString(r, TAG.SOPInstanceUID) !== sopInstanceUid) continue;
    // a study-scoped answer need not repeat the study; one that names another is taken at its word
    const st = firstString(r, TAG.StudyInstanceUID) ?? study;
    const series = firstString(r, TAG.SeriesInstanceUID);
    if (st === undefined || series === undefined || !isValidUid(st) || !isValidUid(series)) {
      throw new DicomStoreError('STORE_BAD_RESPONSE', `GET ${path}: a result without valid study and series UIDs`);
    }
    places.push({ study: st, series });
  }
  return places;
}
