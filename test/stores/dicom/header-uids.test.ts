import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import t from 'tap';
import { replace } from '../../../src/dicom/index.js';
import { scanUids } from '../../../src/stores/dicom/header-uids.js';
import { MALFORMED, sampleFiles, samplePath } from '../../dicom/samples.js';
import { edited, oracleUids, WELL_FORMED } from './fixtures.js';

t.test('UIDs from the header agree with dicom-parser on every sample that has them', async (t) => {
  let checked = 0;
  for (const name of sampleFiles()) {
    if (name in MALFORMED) continue;
    const buf = await readFile(samplePath(name));
    let want;
    try {
      want = oracleUids(buf);
    } catch {
      continue; // the oracle cannot read it: nothing to compare with
    }
    const got = await scanUids(createReadStream(samplePath(name))).then((u) => u, (e: { code: string }) => e.code);
    if (want.study && want.series && want.instance && /^[0-9.]+$/.test(want.study + want.series + want.instance)) {
      t.same(got, want, name);
      checked++;
    } else {
      t.type(got, 'string', `${name}: refused (${String(got)})`);
    }
  }
  t.ok(checked >= 40, `${checked} samples compared`);
});

t.test('listing stops early; storing reads the whole instance', async (t) => {
  const name = 'ts/CT1_UNC.explicit_little_endian.dcm'; // 530 KB, UIDs in the first few KB
  let read = 0;
  const counted = (): Readable => {
    const s = createReadStream(samplePath(name), { highWaterMark: 4096 });
    s.on('data', (c) => (read += c.length));
    return s;
  };
  await scanUids(counted());
  t.ok(read < 64 * 1024, `header scan read ${read} bytes`);
  read = 0;
  await scanUids(counted(), { whole: true });
  t.equal(read, 530632);
});

t.test('truncated and malformed instances keep their DICOM codes', async (t) => {
  for (const [name, code] of Object.entries(MALFORMED)) {
    const e = await scanUids(createReadStream(samplePath(name)), { whole: true }).catch((e: { code: string }) => e);
    t.equal((e as { code: string }).code, code, name);
  }
  const cut = (await readFile(samplePath('ts/MR_small.dcm'))).subarray(0, 400);
  t.equal(((await scanUids(Readable.from([cut])).catch((e) => e)) as { code: string }).code, 'DICOM_TRUNCATED', 'cut inside the header');
  const e = await scanUids(Readable.from([Buffer.from('{"resourceType":"Patient"}')])).catch((e) => e) as { code: string };
  t.match(e.code, /^DICOM_/, 'not DICOM at all');
});

t.test('a UID that could become a path or reveal data is refused without quoting it', async (t) => {
  const top = (tag: number, v: string) => (el: { tag: number }, p: readonly unknown[]) => (p.length === 0 && el.tag === tag ? replace(v) : 'keep' as const);
  const cases: [number, string, string][] = [
    [0x0020000d, '../../../tmp/evil', 'STORE_UID_INVALID'],
    [0x0020000e, '..', 'STORE_UID_INVALID'],
    [0x00080018, 'DOE^JANE', 'STORE_UID_INVALID'],
    [0x00080018, '1.2.' + '3'.repeat(70), 'STORE_UID_INVALID'],
  ];
  for (const [tag, value, code] of cases) {
    const buf = await edited(WELL_FORMED[0], top(tag, value));
    const e = await scanUids(Readable.from([buf])).catch((e) => e) as Error & { code: string };
    t.equal(e.code, code, value.slice(0, 20));
    t.notMatch(e.message, /evil|DOE|333/);
  }
  const noStudy = await edited(WELL_FORMED[0], (el, p) => (p.length === 0 && el.tag === 0x0020000d ? 'remove' : 'keep'));
  t.equal(((await scanUids(Readable.from([noStudy])).catch((e) => e)) as { code: string }).code, 'STORE_UID_MISSING');
});

t.test('a failing source is a read failure, not a crash', async (t) => {
  const src = new Readable({ read() { this.destroy(new Error('EIO with /secret/path')); } });
  const e = await scanUids(src).catch((e) => e) as Error & { code: string };
  t.equal(e.code, 'STORE_READ_FAILED');
  t.notMatch(e.message, /secret/);
});
