import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import dicomParser from 'dicom-parser';
import { TokenizerCore } from '../../src/dicom/tokenizer-core.js';
import type { DicomToken } from '../../src/dicom/tokens.js';
import { encodeReplacement } from '../../src/dicom/value.js';
import { WriterCore } from '../../src/dicom/writer-core.js';

const REPLACED: Record<number, 'study' | 'series' | 'sop' | 'patient'> = {
  0x0020000d: 'study',
  0x0020000e: 'series',
  0x00080018: 'sop',
  0x00100020: 'patient',
};

/** `2.25.` + 128 bits of a hash of the label: a valid UID, distinct per label. */
export function testUid(label: string): string {
  return `2.25.${BigInt('0x' + createHash('sha256').update(`deid-test:${label}`).digest().subarray(0, 16).toString('hex'))}`;
}

/**
 * `studies` × `perStudy` instances made from one sample with deid's own codec:
 * each study its own StudyInstanceUID and PatientID, each instance its own
 * SeriesInstanceUID and SOPInstanceUID (two instances given the same
 * `sopLabel` share one); everything else (dates, names, pixels) is the
 * sample's. Files go to dir/sNN/iNN.dcm.
 */
export function makeStudies(sample: string, dir: string, studies: number, perStudy: number, sopLabel: (s: number, i: number) => string = (s, i) => `${s}:${i}`): string[] {
  const core = new TokenizerCore({ maxValueBytes: 1 << 20, chunkBytes: 1 << 20 });
  core.feed(fs.readFileSync(sample));
  core.end();
  const tokens: DicomToken[] = core.out;
  const files: string[] = [];
  for (let s = 0; s < studies; s++) {
    for (let i = 0; i < perStudy; i++) {
      const values = { study: testUid(`${s}:study`), series: testUid(`${s}:${i}:series`), sop: testUid(`${sopLabel(s, i)}:sop`), patient: `PAT-${s}` };
      const chunks: Buffer[] = [];
      const w = new WriterCore((b) => chunks.push(b), { mediaStorageSOPInstanceUID: values.sop });
      for (const t of tokens) {
        const which = t.type === 'element' && t.path.length === 0 ? REPLACED[t.header.tag] : undefined;
        if (which && t.type === 'element') {
          const v = encodeReplacement(values[which], which === 'patient' ? 'LO' : 'UI', t.header.tag);
          const { raw, ...fields } = t.header;
          // the exact header bytes stay only while the length does
          w.write({ ...t, header: v.length === t.header.length && raw ? { ...fields, raw } : { ...fields, length: v.length }, value: v });
        } else w.write(t);
      }
      w.end();
      const file = path.join(dir, `s${String(s).padStart(2, '0')}`, `i${String(i).padStart(2, '0')}.dcm`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, Buffer.concat(chunks));
      files.push(file);
    }
  }
  return files;
}

export interface Header {
  sop?: string;
  series?: string;
  study?: string;
  pid?: string;
  name?: string;
  date?: string;
}

/** The header of a part-10 file, read with dicom-parser (an independent parser). */
export function headerOf(bytes: Buffer): Header {
  const ds = dicomParser.parseDicom(new Uint8Array(bytes), { untilTag: 'x7fe00010' });
  return {
    sop: ds.string('x00080018'),
    series: ds.string('x0020000e'),
    study: ds.string('x0020000d'),
    pid: ds.string('x00100020'),
    name: ds.string('x00100010'),
    date: ds.string('x00080020'),
  };
}

export function walkFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.name.startsWith('.') ? [] : e.isDirectory() ? walkFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** SOPInstanceUID → bytes of every instance of a folder store. */
export function folderInstances(dir: string): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const f of walkFiles(dir)) {
    const b = fs.readFileSync(f);
    const sop = headerOf(b).sop!;
    if (m.has(sop)) throw new Error(`two files for one instance in ${dir}`);
    m.set(sop, b);
  }
  return m;
}

/**
 * SOPInstanceUID → bytes of every instance an Orthanc holds, through its own
 * REST API (/instances, /instances/{id}/file), not deid's DICOMweb client.
 */
export async function orthancInstances(http: string): Promise<Map<string, Buffer>> {
  const ids = (await (await fetch(`${http}/instances`)).json()) as string[];
  const m = new Map<string, Buffer>();
  for (const id of ids) {
    const b = Buffer.from(await (await fetch(`${http}/instances/${id}/file`)).arrayBuffer());
    const sop = headerOf(b).sop!;
    if (m.has(sop)) throw new Error('two Orthanc instances with one SOPInstanceUID');
    m.set(sop, b);
  }
  return m;
}

/** SOPInstanceUIDs a QIDO-RS search of every instance answers (plain fetch of the DICOM JSON). */
export async function qidoInstanceUids(http: string): Promise<string[]> {
  const r = await fetch(`${http}/dicom-web/instances?limit=100000`, { headers: { accept: 'application/dicom+json' } });
  if (r.status === 204) return [];
  const list = (await r.json()) as Array<Record<string, { Value?: string[] }>>;
  return list.map((x) => x['00080018']!.Value![0]!).sort();
}
