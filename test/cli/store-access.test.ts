import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { parseRequestOptions, readHeaderFile, storeAccess } from '../../src/cli/store-access.js';

const SECRET = 'Zunit5secretTOKEN';

function file(t: { teardown(fn: () => void): void }, text: string | Buffer, mode = 0o600): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-hdr-'));
  t.teardown(() => fs.rmSync(d, { recursive: true, force: true }));
  const f = path.join(d, 'h');
  fs.writeFileSync(f, text);
  fs.chmodSync(f, mode);
  return f;
}

t.test('header file: BOM, CRLF, comments, blank lines, names lower-cased, values trimmed, colons in values kept', async (t) => {
  const warned: string[] = [];
  const h = readHeaderFile(file(t, `\uFEFF# c\r\n\r\n  # indented comment\r\nAuthorization: Basic ${SECRET}:x==\r\nX-Tenant:a b \r\n`), '--source-headers', (m) => warned.push(m));
  t.same(h, { authorization: `Basic ${SECRET}:x==`, 'x-tenant': 'a b' });
  t.same(warned, []);
});

t.test('group- or world-readable: a warning with the mode, never the content', async (t) => {
  for (const mode of [0o640, 0o604, 0o444]) {
    const warned: string[] = [];
    readHeaderFile(file(t, `Authorization: Bearer ${SECRET}\n`, mode), '--destination-headers', (m) => warned.push(m));
    t.equal(warned.length, 1);
    t.match(warned[0], new RegExp(`--destination-headers .* \\(mode ${mode.toString(8).padStart(3, '0')}\\)`));
    t.notMatch(warned[0], SECRET);
  }
});

t.test('malformed lines: CONFIG_INVALID with the line number only', async (t) => {
  const lines: Array<[string, number]> = [
    [`ok: 1\n\n${SECRET}\n`, 3],
    [`: ${SECRET}\n`, 1],
    [`Na me: ${SECRET}\n`, 1],
    [`Authorization: ${SECRET}\u0007\n`, 1],
    [`Authorization: ${SECRET}\rX: y\n`, 1],
    [`Content-Length: 5\n`, 1],
    [`Transfer-Encoding: chunked\n`, 1],
  ];
  for (const [text, line] of lines) {
    const e = (() => {
      try {
        readHeaderFile(file(t, text), '--source-headers', () => undefined);
        return undefined;
      } catch (e) {
        return e as { code: string; message: string };
      }
    })();
    t.equal(e?.code, 'CONFIG_INVALID', JSON.stringify(text));
    t.match(e?.message, new RegExp(`line ${line}:`));
    t.notMatch(e?.message, SECRET);
  }
  t.throws(() => readHeaderFile(file(t, Buffer.alloc(70 * 1024, 0x61)), '--source-headers'), { code: 'CONFIG_INVALID', message: /64 KiB/ });
});

t.test('environment: Authorization only for its side; empty is unset; files and env together refused', async (t) => {
  t.same(storeAccess('source', undefined, {}, { DEID_SOURCE_AUTHORIZATION: 'Bearer a', DEID_DESTINATION_AUTHORIZATION: 'Bearer b' }), { headers: { authorization: 'Bearer a' } });
  t.same(storeAccess('destination', undefined, {}, { DEID_SOURCE_AUTHORIZATION: 'Bearer a', DEID_DESTINATION_AUTHORIZATION: 'Bearer b' }), { headers: { authorization: 'Bearer b' } });
  t.same(storeAccess('source', undefined, { timeoutMs: 5000 }, { DEID_SOURCE_AUTHORIZATION: '  ' }), { timeoutMs: 5000 });
  const f = file(t, 'X-Api-Key: k\n');
  t.same(storeAccess('source', f, {}, { DEID_SOURCE_AUTHORIZATION: 'Bearer a' }), { headers: { 'x-api-key': 'k', authorization: 'Bearer a' } });
  t.throws(() => storeAccess('source', file(t, 'authorization: x\n'), {}, { DEID_SOURCE_AUTHORIZATION: 'Bearer a' }), { code: 'USAGE' });
});

t.test('--timeout and --retries', async (t) => {
  t.same(parseRequestOptions({}), {});
  t.same(parseRequestOptions({ timeout: '2.5', retries: '0' }), { timeoutMs: 2500, retry: { attempts: 1 } });
  t.same(parseRequestOptions({ timeout: '86400', retries: '100' }), { timeoutMs: 86_400_000, retry: { attempts: 101 } });
  for (const timeout of ['0', '0.0', '', ' ', '-1', '1e3', 'Infinity', 'NaN', '86400.5', '0x10']) t.throws(() => parseRequestOptions({ timeout }), { code: 'USAGE' }, `--timeout ${JSON.stringify(timeout)}`);
  for (const retries of ['-1', '1.0', '101', '', 'three', '1e2']) t.throws(() => parseRequestOptions({ retries }), { code: 'USAGE' }, `--retries ${JSON.stringify(retries)}`);
});
