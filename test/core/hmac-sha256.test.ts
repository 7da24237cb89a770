import { createHmac } from 'node:crypto';
import t from 'tap';
import { HmacSha256 } from '../../src/core/hmac-sha256.js';
import { Keyed } from '../../src/core/keyed.js';

const node = (key: Buffer, parts: string[]) => {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p, 'utf8');
  return h.digest();
};

// Messages across the one- and two-block boundaries (55/56/64 bytes with the
// 64-byte pad block before them), in several scripts and with a lone surrogate.
const pieces = ['a', 'Z9-', 'é', '中', '😀', '\ud800', '\0', ' '];
function message(n: number, seed: number): string {
  let s = '';
  for (let i = 0; s.length < n; i++) s += pieces[(seed + i * 7) % pieces.length];
  return s.slice(0, n);
}

t.test('HMAC-SHA256 agrees with node:crypto on keys and messages of every size around the block boundaries', async (t) => {
  let checked = 0;
  for (const keyLen of [1, 20, 32, 63, 64, 65, 131]) {
    const key = Buffer.from(Array.from({ length: keyLen }, (_, i) => (i * 37 + keyLen) & 0xff));
    const h = new HmacSha256(key);
    for (let n = 0; n <= 200; n++) {
      for (const seed of [0, 3]) {
        const m = seed === 0 ? 'x'.repeat(n) : message(n, seed + n);
        const ours = h.reset().update(m).digest();
        const theirs = node(key, [m]);
        if (!ours.equals(theirs)) t.fail(`key ${keyLen} bytes, message ${n} chars, seed ${seed}`);
        checked++;
      }
    }
  }
  t.equal(checked, 7 * 201 * 2);
});

t.test('a message built from parts and bytes equals the same bytes in one update', async (t) => {
  const key = Buffer.alloc(32, 0x5a);
  const h = new HmacSha256(key);
  const long = message(5000, 1);
  t.same(h.reset().update('uuid').byte(0).update(long).digest(), node(key, ['uuid', '\0', long]));
  t.same(h.reset().update('').digest(), node(key, ['']), 'empty message');
  // the buffer grown by a long message still gives right answers for short ones
  t.same(h.reset().update('fhir-id').byte(0).update('abc').digest(), node(key, ['fhir-id', '\0', 'abc']));
});

t.test('Keyed derivations are the documented functions of HMAC-SHA256(key, label NUL value)', async (t) => {
  const key = Buffer.alloc(32, 0x5a);
  const k = new Keyed(key);
  for (const v of ['39699402-F976-4FA0-8635-F015A54F1F8B', 'example', 'Pätient ß', '12345 ']) {
    t.equal(k.pseudonym('fhir-id', v), node(key, ['fhir-id', '\0', v]).toString('hex', 0, 16));
    t.equal(k.identifier(v), node(key, ['identifier', '\0', v.trim()]).toString('hex', 0, 16));
    const b = node(key, ['uuid', '\0', v.toLowerCase()]).subarray(0, 16);
    b[6] = (b[6]! & 0x0f) | 0x80;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString('hex');
    t.equal(k.uuid(v), `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
    for (const range of [100, 30]) {
      const n = node(key, ['date-shift', '\0', v]).readUInt32BE(0) % (2 * range);
      t.equal(k.dateShiftDays(v, range), n < range ? -(n + 1) : n - range + 1);
    }
    t.same(k.mac('dicom-uid', v), node(key, ['dicom-uid', '\0', v]));
  }
});
