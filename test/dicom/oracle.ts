import dicomParser from 'dicom-parser';
import { inflateRawSync } from 'node:zlib';

type DataSet = ReturnType<typeof dicomParser.parseDicom>;

/**
 * Independent parse with dicom-parser (whole file in memory; tests only).
 * Its inflate path (1.8.x) parses the returned array from offset 0, so the
 * `inflater` hook returns the inflated dataset alone.
 */
export function parseWithOracle(buf: Buffer): DataSet {
  const inflater = (bytes: Uint8Array, position: number): Uint8Array => {
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    return inflateRawSync(b.subarray(position));
  };
  return dicomParser.parseDicom(buf, { inflater } as Parameters<typeof dicomParser.parseDicom>[1]);
}

/** Every occurrence of `tag` ("x00100020") at any depth, with its depth and string value. */
export function findAll(ds: DataSet, tag: string, depth = 0): { depth: number; value: string | undefined }[] {
  const out: { depth: number; value: string | undefined }[] = [];
  for (const [k, el] of Object.entries(ds.elements)) {
    if (k === tag) out.push({ depth, value: ds.string(k) });
    for (const item of el.items ?? []) {
      if (item.dataSet) out.push(...findAll(item.dataSet, tag, depth + 1));
    }
  }
  return out;
}

/** The file meta as dicom-parser reads it (offsets into the original file). */
export function parseMetaWithOracle(buf: Buffer): DataSet {
  return dicomParser.readPart10Header(buf);
}
