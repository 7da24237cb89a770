import { readFileSync } from 'node:fs';
import { Writable, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inflateRawSync } from 'node:zlib';
import { dicomTokenizer, dicomWriter, type DicomToken, type TokenizerOptions, type WriterOptions } from '../../src/dicom/index.js';
import { samplePath } from './samples.js';

export function readSample(name: string): Buffer {
  return readFileSync(samplePath(name));
}

export async function collect<T>(stages: (NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream)[]): Promise<T[]> {
  const out: T[] = [];
  const sink = new Writable({
    objectMode: true,
    write(x: T, _e, cb) {
      out.push(x);
      cb();
    },
  });
  await pipeline([...stages, sink] as unknown as readonly NodeJS.ReadWriteStream[]);
  return out;
}

export async function tokenize(buf: Buffer, opts?: TokenizerOptions): Promise<DicomToken[]> {
  return collect<DicomToken>([Readable.from([buf]), dicomTokenizer(opts)]);
}

export async function roundTrip(buf: Buffer, opts?: { tokenizer?: TokenizerOptions; writer?: WriterOptions }): Promise<Buffer> {
  const parts = await collect<Buffer>([Readable.from([buf]), dicomTokenizer(opts?.tokenizer), dicomWriter(opts?.writer)]);
  return Buffer.concat(parts);
}

/** Where the dataset starts in a part-10 file (after preamble and meta), from its tokens. */
export function datasetOffset(tokens: DicomToken[]): number {
  let n = 0;
  for (const t of tokens) {
    if (t.type === 'preamble') n += t.bytes.length;
    else if (t.type === 'meta') n += t.raw.length;
    else break;
  }
  return n;
}

/** For a deflated file: the bytes before the dataset plus the inflated dataset. */
export function inflatedView(file: Buffer, datasetAt: number): Buffer {
  return Buffer.concat([file.subarray(0, datasetAt), inflateRawSync(file.subarray(datasetAt))]);
}

/** A token as plain comparable data (Buffers as hex). */
export function tokenKey(t: DicomToken): string {
  return JSON.stringify(t, (_k, v: unknown) => {
    if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
      return Buffer.from((v as { data: number[] }).data).toString('hex');
    }
    return v;
  });
}
