import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { warnPasswordInUri } from '../../src/cli/store-access.js';
import { passFileOf, passFilePassword, pgpassLookup } from '../../src/stores/pg-password.js';
import { parseStoreUri } from '../../src/stores/store-uri.js';

const target = { host: '127.0.0.1', port: 5432, database: 'test', user: 'alice' };

t.test('password file lines: first match wins, * matches anything, \\ escapes : and \\, # lines skipped', async (t) => {
  const text = [
    '# 127.0.0.1:5432:test:alice:commented',
    'other.host:5432:test:alice:wrong-host',
    '127.0.0.1:5433:test:alice:wrong-port',
    '127.0.0.1:5432:prod:alice:wrong-db',
    '127.0.0.1:5432:test:bob:wrong-user',
    'short:line',
    '127.0.0.1:*:test:alice:a\\:b\\\\c:d',
    '*:*:*:*:fallback',
  ].join('\r\n');
  t.equal(pgpassLookup(text, target), 'a:b\\c', 'escapes undone; the password ends at an unescaped : (as libpq reads it)');
  t.equal(pgpassLookup(text, { ...target, user: 'carol' }), 'fallback');
  t.equal(pgpassLookup('127.0.0.1:5432:test:alice:x', { ...target, port: '5432' }), 'x', 'port as a string');
  t.equal(pgpassLookup('localhost:5432:test:alice:sock', { ...target, host: '/var/run/postgresql' }), 'sock', 'a socket directory matches localhost');
  t.equal(pgpassLookup('127.0.0.1:5432:alice:alice:db-is-user', { host: '127.0.0.1', user: 'alice' }), 'db-is-user', 'database defaults to the user; port to 5432');
  t.equal(pgpassLookup('', target), undefined);
  t.equal(pgpassLookup('127\\.0.0.1:5432:test:alice:esc', target), 'esc', 'an escaped ordinary character is itself');
});

t.test('the password file: $PGPASSFILE, else ~/.pgpass; ignored with a warning when others can read it, never quoted', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-pgpass-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  t.equal(passFileOf({ PGPASSFILE: '/x/y', HOME: '/h' }), '/x/y');
  t.equal(passFileOf({ HOME: '/h' }), path.join('/h', '.pgpass'));
  const file = path.join(dir, 'pgpass');
  fs.writeFileSync(file, '127.0.0.1:5432:test:alice:T0pSecret\n', { mode: 0o600 });
  const warnings: string[] = [];
  const warn = (m: string) => void warnings.push(m);
  t.equal(passFilePassword(target, { PGPASSFILE: file }, warn), 'T0pSecret');
  t.equal(passFilePassword(target, { HOME: dir }, warn), undefined, 'no ~/.pgpass there');
  fs.renameSync(file, path.join(dir, '.pgpass'));
  t.equal(passFilePassword(target, { HOME: dir }, warn), 'T0pSecret', '~/.pgpass');
  t.same(warnings, []);
  fs.chmodSync(path.join(dir, '.pgpass'), 0o640);
  t.equal(passFilePassword(target, { HOME: dir }, warn), undefined, 'group-readable: not used (as libpq)');
  t.match(warnings.join(''), /has group or world access \(mode 640\); it is not used/);
  t.equal(passFilePassword(target, { PGPASSFILE: dir }, warn), undefined, 'a folder');
  t.match(warnings.join(''), /is not a regular file/);
  t.notMatch(warnings.join(''), /T0pSecret/);
  t.equal(passFilePassword(target, { PGPASSFILE: path.join(dir, 'missing') }, warn), undefined);
});

t.test('a password in a postgres URL is flagged (user info or ?password=) and warned about without being echoed', async (t) => {
  t.equal(parseStoreUri('postgres://u:pw@h/db?table=x').passwordInUri, true);
  t.equal(parseStoreUri('postgresql://u@h/db?password=pw&table=x').passwordInUri, true);
  t.notMatch(parseStoreUri('postgresql://u@h/db?password=pw&table=x').display, /pw/);
  t.equal(parseStoreUri('postgres://u@h/db?table=x').passwordInUri, undefined);
  t.equal(parseStoreUri('some/folder').passwordInUri, undefined);
  const out: string[] = [];
  warnPasswordInUri('destination', 'postgres://u:Hunter2@h/db', (m) => void out.push(m));
  warnPasswordInUri('source', 'postgres://u@h/db', (m) => void out.push(m));
  warnPasswordInUri('source', 'ftp://nope', (m) => void out.push(m));
  t.equal(out.length, 1);
  t.match(out[0], /the destination URL holds a password.*\$PGPASSWORD.*PGPASSFILE/);
  t.notMatch(out[0], /Hunter2/);
});
