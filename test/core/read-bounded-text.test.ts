import t, { type Test } from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readBoundedText } from '../../src/core/read-bounded-text.js';
import { DeidError } from '../../src/core/errors.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-bounded-text-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

function refused(t: Test, fn: () => unknown, code: string, message: RegExp, secret?: string) {
  try {
    fn();
    t.fail('not refused');
  } catch (e) {
    t.ok(e instanceof DeidError, 'a DeidError');
    t.equal((e as DeidError).code, code);
    t.match((e as Error).message, message);
    if (secret) t.notMatch((e as Error).message + String((e as Error).stack), secret, 'no contents in the message');
  }
}

t.test('UTF-8 text up to the bound is read, a leading BOM dropped', async (t) => {
  const file = path.join(tmp, 'ok.yaml');
  fs.writeFileSync(file, '\uFEFFname: Zoë 山田\n');
  t.equal(readBoundedText(file, 100), 'name: Zoë 山田\n');
  const exact = Buffer.byteLength('name: Zoë 山田\n') + 3;
  t.equal(readBoundedText(file, exact), 'name: Zoë 山田\n', 'exactly the bound, BOM counted');
  refused(t, () => readBoundedText(file, exact - 1), 'CONFIG_INVALID', new RegExp(`ok\\.yaml: larger than ${exact - 1} bytes$`));
});

t.test('bytes that are not UTF-8 are refused, not turned into U+FFFD', async (t) => {
  const file = path.join(tmp, 'latin1.yaml');
  fs.writeFileSync(file, Buffer.concat([Buffer.from('surname: M'), Buffer.from([0xfc]), Buffer.from('llerSecret\n')]));
  refused(t, () => readBoundedText(file, 1000), 'CONFIG_INVALID', /latin1\.yaml: not valid UTF-8$/, 'Secret');
  const cut = path.join(tmp, 'cut.yaml');
  fs.writeFileSync(cut, Buffer.from('a: 山').subarray(0, 5));
  refused(t, () => readBoundedText(cut, 1000), 'CONFIG_INVALID', /not valid UTF-8/);
});

t.test('what cannot be read names the system code; a missing list can be an input not found', async (t) => {
  refused(t, () => readBoundedText(path.join(tmp, 'missing'), 10), 'CONFIG_INVALID', /missing: cannot be read \(ENOENT\)/);
  refused(t, () => readBoundedText(tmp, 10), 'CONFIG_INVALID', /cannot be read \(EISDIR\)/);
  refused(t, () => readBoundedText(path.join(tmp, 'missing'), 10, { missingIsInput: true, where: '--list missing' }), 'INPUT_NOT_FOUND', /--list missing$/);
  refused(t, () => readBoundedText(tmp, 10, { missingIsInput: true }), 'CONFIG_INVALID', /EISDIR/, undefined);
});

t.test('an endless device stops at the bound', async (t) => {
  refused(t, () => readBoundedText('/dev/zero', 4096, { where: '-c /dev/zero' }), 'CONFIG_INVALID', /^Configuration is invalid: -c \/dev\/zero: larger than 4096 bytes$/);
});
