import t from 'tap';
import { Keyed, UUID_RE } from '../../src/core/keyed.js';

t.test('cryptoHash is HMAC-SHA256 base64 (RFC 4231 test case 2)', async (t) => {
  const k = new Keyed(Buffer.from('Jefe'));
  const expectedHex = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
  t.equal(k.cryptoHash('what do ya want for nothing?'), Buffer.from(expectedHex, 'hex').toString('base64'));
});

t.test('derivations are domain separated and keyed', async (t) => {
  const a = new Keyed(Buffer.alloc(32, 1));
  const b = new Keyed(Buffer.alloc(32, 2));
  t.not(a.identifier('12345'), a.pseudonym('fhir-id', '12345'));
  t.not(a.identifier('12345'), b.identifier('12345'));
  t.equal(a.identifier('12345'), new Keyed(Buffer.alloc(32, 1)).identifier('12345'), 'stable for the same key');
  t.equal(a.identifier(' 12345 '), a.identifier('12345'), 'identifier ignores surrounding blanks');
  t.match(a.identifier('x'), /^[0-9a-f]{32}$/);
});

t.test('uuid pseudonyms are RFC 9562 version 8 UUIDs, case-insensitive on input', async (t) => {
  const k = new Keyed(Buffer.alloc(32, 7));
  const u = k.uuid('39699402-F976-4FA0-8635-F015A54F1F8B');
  t.match(u, UUID_RE);
  t.equal(u[14], '8', 'version nibble');
  t.ok('89ab'.includes(u[19]!), 'variant bits');
  t.equal(u, k.uuid('39699402-f976-4fa0-8635-f015a54f1f8b'));
  t.equal(k.fhirId('39699402-f976-4fa0-8635-f015a54f1f8b'), u, 'UUID-shaped ids stay UUIDs and agree with urn:uuid');
  t.match(k.fhirId('example'), /^[0-9a-f]{32}$/);
});

t.test('DICOM UIDs are 2.25 integers of at most 64 characters', async (t) => {
  const k = new Keyed(Buffer.alloc(32, 9));
  for (const uid of ['1.2.840.113619.2.1.1.322987881.621.736170080.681', '1.2.3\0', '1.2.3 ']) {
    const u = k.uid(uid);
    t.match(u, /^2\.25\.[1-9]\d*$/);
    t.ok(u.length <= 64);
  }
  t.equal(k.uid('1.2.3\0'), k.uid('1.2.3'), 'padding ignored');
  t.not(k.uid('1.2.3'), k.uid('1.2.4'));
});

t.test('date shift is within ±range, never 0, and covers the range', async (t) => {
  const k = new Keyed(Buffer.alloc(32, 3));
  const seen = new Set<number>();
  for (let i = 0; i < 20000; i++) {
    const d = k.dateShiftDays(`Patient/${i}`);
    if (d === 0 || d < -100 || d > 100) t.fail(`bad shift ${d}`);
    seen.add(d);
  }
  t.equal(seen.size, 200, 'every non-zero value in ±100 occurs');
  const small = k.dateShiftDays('Patient/x', 5);
  t.ok(Math.abs(small) <= 5 && small !== 0);
});
