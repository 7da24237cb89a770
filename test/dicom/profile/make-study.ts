import fs from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { dicomEditor } from '../../../src/dicom/edit.js';
import { dicomInserter } from '../../../src/dicom/insert.js';
import { dicomTokenizer } from '../../../src/dicom/tokenizer.js';
import { dicomWriter } from '../../../src/dicom/writer.js';

const SOP_INSTANCE_UID = 0x00080018;
const REFERENCED_IMAGE_SEQUENCE = 0x00081140;
const REFERENCED_SOP_CLASS_UID = 0x00081150;
const REFERENCED_SOP_INSTANCE_UID = 0x00081155;

/**
 * `n` copies of one instance: same study and series, SOPInstanceUIDs
 * `<base>.1` … `<base>.n`, each with a ReferencedImageSequence pointing at the
 * other copies. Made with the project's codec from a real sample.
 */
export async function makeStudy(file: string, n: number, base = '1.2.826.0.1.3680043.2.1125.99.7'): Promise<{ bytes: Buffer[]; uids: string[]; sopClass: string }> {
  const uids = Array.from({ length: n }, (_, i) => `${base}.${i + 1}`);
  const sopClass = '1.2.840.10008.5.1.4.1.1.2';
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const chunks: Buffer[] = [];
    const others = uids.filter((_, j) => j !== i);
    await pipeline(
      Readable.from([fs.readFileSync(file)]),
      dicomTokenizer(),
      dicomEditor((el, path) => {
        if (path.length > 0) return 'keep';
        if (el.tag === SOP_INSTANCE_UID) return { replace: uids[i]! };
        if (el.tag === REFERENCED_IMAGE_SEQUENCE) return 'remove';
        return 'keep';
      }),
      dicomInserter([
        {
          tag: REFERENCED_IMAGE_SEQUENCE,
          vr: 'SQ',
          items: others.map((u) => [
            { tag: REFERENCED_SOP_CLASS_UID, vr: 'UI', value: sopClass },
            { tag: REFERENCED_SOP_INSTANCE_UID, vr: 'UI', value: u },
          ]),
        },
      ]),
      dicomWriter({ mediaStorageSOPInstanceUID: uids[i]! }),
      new Writable({
        write(c: Buffer, _e, cb) {
          chunks.push(c);
          cb();
        },
      }),
    );
    out.push(Buffer.concat(chunks));
  }
  return { bytes: out, uids, sopClass };
}
