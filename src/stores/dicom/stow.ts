import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { DicomStoreError } from './codes.js';
import { firstString, isDicomJson, items, TAG } from './dicom-json.js';
import { dicomWebFetch, jsonBody } from './http.js';
import type { Spooled } from './spool.js';
import type { DicomStoreOptions } from './types.js';

function multipartBody(file: string, head: Buffer, tail: Buffer): ReadableStream<Uint8Array> {
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    yield* createReadStream(file) as AsyncIterable<Buffer>;
    yield tail;
  }
  return Readable.toWeb(Readable.from(parts())) as ReadableStream<Uint8Array>;
}

/**
 * STOW-RS (PS3.18 10.5) of one spooled instance: `POST {base}/studies`,
 * multipart/related of one application/dicom part, streamed from the spool
 * file (again on each retry). Resolves once the server lists the instance in
 * ReferencedSOPSequence; a FailedSOPSequence entry, any other status, or an
 * answer that does not confirm it rejects.
 */
export async function stowInstance(base: string, s: Spooled, o: DicomStoreOptions): Promise<void> {
  const boundary = `deid-${randomBytes(16).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, 'latin1');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
  const res = await dicomWebFetch(base, {
    method: 'POST',
    path: '/studies',
    headers: {
      'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      'content-length': String(head.length + s.size + tail.length),
      accept: 'application/dicom+json',
    },
    body: () => multipartBody(s.path, head, tail),
  }, o);
  const what = `STOW instance ${s.uids.instance}`;
  if (res.status !== 200 && res.status !== 202 && res.status !== 409) {
    await res.body?.cancel().catch(() => undefined);
    throw new DicomStoreError('STORE_REJECTED', `${what}: HTTP ${res.status}`);
  }
  const body = await jsonBody(res, what);
  if (!isDicomJson(body)) throw new DicomStoreError('STORE_BAD_RESPONSE', `${what}: HTTP ${res.status} without a response dataset`);
  const failures = items(body, TAG.FailedSOPSequence);
  if (failures.length > 0 || res.status === 409) {
    const reason = failures.map((f) => f[TAG.FailureReason]?.Value?.[0]).find((v) => typeof v === 'number');
    throw new DicomStoreError('STORE_REJECTED', `${what}: HTTP ${res.status}${reason !== undefined ? `, failure reason ${reason}` : ''}`);
  }
  const stored = items(body, TAG.ReferencedSOPSequence).some((r) => firstString(r, TAG.ReferencedSOPInstanceUID) === s.uids.instance);
  if (!stored) throw new DicomStoreError('STORE_BAD_RESPONSE', `${what}: not confirmed in ReferencedSOPSequence`);
}
