// Passwords for a PostgreSQL store without putting them on the command line:
// $PGPASSWORD and the password file ($PGPASSFILE, ~/.pgpass), against a real
// server that takes passwords only (scram-sha-256). A password that is given
// in the URL still works, with a warning; none of them ever reaches stderr,
// the operation record (the checkpoint), the error log or the report.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { requirePrivatePostgres } from '../helpers/private-postgres.js';
import { runCli } from '../helpers/run-cli.js';
import { BULK, pgQuery, tempDir } from './fhir-store-helpers.js';

const PASSWORD = 'Pw:with\\odd@chars/Z9';
const ROLE = 'deid_pw';

const t0 = Date.now();
const server = await requirePrivatePostgres(t, ROLE, PASSWORD);

/** Every file the operation left, the report and stderr: none holds the password in any form. */
function assertNoSecret(t: typeof import('tap').default, dir: string, stderr: string): void {
  const forms = [PASSWORD, encodeURIComponent(PASSWORD), JSON.stringify(PASSWORD).slice(1, -1), 'odd@chars'];
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && d.name !== 'pgpass').map((d) => path.join(d.parentPath, d.name));
  t.ok(files.some((f) => f.endsWith('.json')), 'an operation record was written');
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    for (const s of forms) t.notOk(text.includes(s), `${path.basename(f)} does not hold the password`);
  }
  for (const s of forms) t.notOk(stderr.includes(s), 'stderr does not hold the password');
}

if (server) {
  t.comment(`password-only cluster on port ${server.port} started in ${Date.now() - t0} ms`);
  const base = `postgres://${ROLE}@127.0.0.1:${server.port}/postgres`;
  const adminUrl = `postgres://${ROLE}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${server.port}/postgres`;
  const src = (tmp: string): string => {
    const d = path.join(tmp, 'src');
    fs.mkdirSync(d);
    fs.copyFileSync(path.join(BULK, 'Patient.ndjson'), path.join(d, 'Patient.ndjson'));
    return d;
  };
  const patients = fs.readFileSync(path.join(BULK, 'Patient.ndjson'), 'utf8').split('\n').filter(Boolean).length;
  const run = (tmp: string, table: string, env: Record<string, string>, url = `${base}?table=${table}`) =>
    runCli(['fhir-store', src(tmp), url, '--operation-dir', path.join(tmp, 'ops'), '--report', path.join(tmp, 'ops', 'report.json')], { env: { PGPASSWORD: '', PGPASSFILE: path.join(tmp, 'none'), ...env } });
  const rows = async (table: string) => Number((await pgQuery<{ n: string }>(adminUrl, `SELECT count(*) n FROM "${table}"`))[0]!.n);

  t.test('no password anywhere: 73 before any output, saying where a password can be given; no wait for the server\'s 60 s authentication timeout', async (t) => {
    const tmp = tempDir(t);
    const started = Date.now();
    const r = await run(tmp, 'none', {});
    t.equal(r.code, 73, r.stderr);
    t.match(r.stderr, /STORE_REJECTED.*the server asks for a password and none was given \(\$PGPASSWORD, \$PGPASSFILE or ~\/\.pgpass\)/);
    t.ok(Date.now() - started < 30_000, `ended in ${Date.now() - started} ms`);
    assertNoSecret(t, tmp, r.stderr);
  });

  t.test('$PGPASSWORD', async (t) => {
    const tmp = tempDir(t);
    const r = await run(tmp, 'env_pw', { PGPASSWORD: PASSWORD });
    t.equal(r.code, 0, r.stderr);
    t.notMatch(r.stderr, /warning/);
    t.equal(await rows('env_pw'), patients);
    assertNoSecret(t, tmp, r.stderr);
  });

  t.test('a wrong $PGPASSWORD: 73 naming SQLSTATE 28P01, never the password tried', async (t) => {
    const tmp = tempDir(t);
    const r = await run(tmp, 'wrong', { PGPASSWORD: 'Wr0ngSecret' });
    t.equal(r.code, 73, r.stderr);
    t.match(r.stderr, /SQLSTATE 28P01/);
    t.notMatch(r.stderr, /Wr0ngSecret/);
    for (const f of fs.readdirSync(path.join(tmp, 'ops'))) t.notMatch(fs.readFileSync(path.join(tmp, 'ops', f), 'utf8'), /Wr0ngSecret/, f);
  });

  t.test('the password file: $PGPASSFILE (0600) is used; one others can read is ignored with a warning, as libpq does', async (t) => {
    const tmp = tempDir(t);
    const file = path.join(tmp, 'pgpass');
    const esc = PASSWORD.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
    fs.writeFileSync(file, `# deid test\nother:5432:*:*:nope\n127.0.0.1:${server.port}:postgres:${ROLE}:${esc}\n`, { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const open = await run(tmp, 'file_pw', { PGPASSFILE: file });
    t.equal(open.code, 73, open.stderr);
    t.match(open.stderr, /password file .*pgpass has group or world access \(mode 644\); it is not used/);
    fs.rmSync(path.join(tmp, 'src'), { recursive: true });
    fs.chmodSync(file, 0o600);
    const r = await run(tmp, 'file_pw', { PGPASSFILE: file });
    t.equal(r.code, 0, r.stderr);
    t.equal(await rows('file_pw'), patients);
    assertNoSecret(t, tmp, open.stderr + r.stderr);
  });

  t.test('~/.pgpass when $PGPASSFILE is not set', async (t) => {
    const tmp = tempDir(t);
    const esc = PASSWORD.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
    fs.writeFileSync(path.join(tmp, '.pgpass'), `*:${server.port}:*:${ROLE}:${esc}\n`, { mode: 0o600 });
    const r = await runCli(['fhir-store', src(tmp), `${base}?table=home_pw`, '--operation-dir', path.join(tmp, 'ops')], { env: { PGPASSWORD: '', PGPASSFILE: '', HOME: tmp } });
    t.equal(r.code, 0, r.stderr);
    t.equal(await rows('home_pw'), patients);
  });

  t.test('a password in the URL works, with a warning that does not echo it; the record names the store without it, so a resume may take it from $PGPASSWORD', async (t) => {
    const tmp = tempDir(t);
    const r = await run(tmp, 'url_pw', {}, `${adminUrl}?table=url_pw`);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stderr, /warning: the destination URL holds a password, which other local users can read in the process list/);
    t.equal(await rows('url_pw'), patients);
    assertNoSecret(t, tmp, r.stderr);
    const id = /operation (\S+) \(record/.exec(r.stderr)![1]!;
    const rec = JSON.parse(fs.readFileSync(path.join(tmp, 'ops', `${id}.json`), 'utf8')) as { destination: string };
    t.equal(rec.destination, `${base}?table=url_pw`);
    fs.rmSync(path.join(tmp, 'src'), { recursive: true });
    const again = await runCli(['fhir-store', src(tmp), `${base}?table=url_pw`, '--operation-dir', path.join(tmp, 'ops'), '--resume', id], { env: { PGPASSWORD: PASSWORD } });
    t.equal(again.code, 0, again.stderr);
  });

  t.test('a password-protected source: read with $PGPASSWORD; without it 73 and nothing written', async (t) => {
    const tmp = tempDir(t);
    const load = await run(tmp, 'src_tbl', { PGPASSWORD: PASSWORD });
    t.equal(load.code, 0, load.stderr);
    const out = path.join(tmp, 'out');
    const none = await runCli(['fhir-store', `${base}?table=src_tbl`, out], { env: { PGPASSWORD: '', PGPASSFILE: path.join(tmp, 'none') } });
    t.equal(none.code, 73, none.stderr);
    t.notOk(fs.existsSync(path.join(out, 'Patient.ndjson')));
    const ok = await runCli(['fhir-store', `${base}?table=src_tbl`, out], { env: { PGPASSWORD: PASSWORD } });
    t.equal(ok.code, 0, ok.stderr);
    t.equal(fs.readFileSync(path.join(out, 'Patient.ndjson'), 'utf8').split('\n').filter(Boolean).length, patients);
    assertNoSecret(t, out, none.stderr + ok.stderr);
  });
}
