import fs from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { startMisbehavingFhir, type MisbehavingFhir, type Request } from '../helpers/misbehaving-fhir.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { folderResources, readRecord, tempDir } from './fhir-store-helpers.js';

type Json = Record<string, unknown>;
const SOURCE_SECRET = 'Zsrc9f3kQ7secretTOKENvalue';
const DEST_SECRET = 'Zdst4h8wP2secretTOKENvalue';
const idOf = (stderr: string): string => /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr)![1]!;

function resources(): Json[] {
  const out: Json[] = [];
  for (let i = 0; i < 30; i++) out.push({ resourceType: 'Patient', id: `p${i}`, name: [{ family: `Fam${i}` }], birthDate: '1970-01-02' });
  for (let i = 0; i < 120; i++) out.push({ resourceType: 'Observation', id: `o${i}`, status: 'final', code: { text: 'visit' }, subject: { reference: `Patient/p${i % 30}` } });
  return out;
}

/** A FHIR server that answers only requests bearing `secret` (else `status`). */
async function guarded(t: Test, data: Json[], secret: string, status = 401): Promise<MisbehavingFhir> {
  const s = await startMisbehavingFhir(data, (r: Request) => (r.authorization === `Bearer ${secret}` ? undefined : { status, body: '{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"login"}]}' }));
  t.teardown(() => s.close());
  return s;
}

function headerFile(dir: string, name: string, text: string, mode = 0o600): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text, { mode });
  fs.chmodSync(f, mode);
  return f;
}

/** Every file under `dirs` and stderr: none holds a secret. */
function noSecret(t: Test, r: CliResult, dirs: string[]): void {
  for (const secret of [SOURCE_SECRET, DEST_SECRET]) {
    t.notMatch(r.stderr, secret, 'stderr');
    t.notMatch(r.stdout.toString(), secret, 'stdout');
    for (const d of dirs) {
      if (!fs.existsSync(d)) continue;
      for (const f of fs.readdirSync(d, { recursive: true }) as string[]) {
        const p = path.join(d, f);
        if (fs.statSync(p).isFile() && !p.endsWith('.headers')) t.notOk(fs.readFileSync(p, 'utf8').includes(secret), `${f} holds no secret`);
      }
    }
  }
}

t.test('a source that needs a bearer token: without it the run stops at once (73, failed, STORE_UNAUTHORIZED); a header file, then $DEID_SOURCE_AUTHORIZATION, let it through', async (t) => {
  const s = await guarded(t, resources(), SOURCE_SECRET);
  const tmp = tempDir(t);
  const out = path.join(tmp, 'out');
  const none = await runCli(['fhir-store', s.base, out]);
  t.equal(none.code, 73, none.stderr);
  t.match(none.stderr, /STORE_UNAUTHORIZED: .*HTTP 401 GET \/fhir\/Patient/);
  t.ok(s.requests.length <= 2, `no storm of refused requests (${s.requests.length})`);
  const rec0 = readRecord(path.join(out, '.deid-operations'), idOf(none.stderr));
  t.equal(rec0.status, 'failed');
  t.equal(rec0.error.code, 'STORE_UNAUTHORIZED');

  const hf = headerFile(tmp, 'src.headers', `# the FHIR server's token\n\nAuthorization: Bearer ${SOURCE_SECRET}\r\nX-Request-Source:  deid-test \n`);
  const out1 = path.join(tmp, 'out1');
  const report = path.join(tmp, 'report.json');
  const before = s.requests.length;
  const withFile = await runCli(['fhir-store', s.base, out1, '--source-headers', hf, '--report', report]);
  t.equal(withFile.code, 0, withFile.stderr);
  t.equal(folderResources(out1).size, 150);
  t.ok(s.requests.slice(before).every((r) => r.authorization === `Bearer ${SOURCE_SECRET}`), 'every request carries the header');
  t.notMatch(withFile.stderr, /warning/, 'a 0600 file draws no warning');
  noSecret(t, withFile, [out1, tmp]);

  const out2 = path.join(tmp, 'out2');
  const withEnv = await runCli(['fhir-store', s.base, out2, '--report', report], { env: { DEID_SOURCE_AUTHORIZATION: `Bearer ${SOURCE_SECRET}` } });
  t.equal(withEnv.code, 0, withEnv.stderr);
  t.equal(folderResources(out2).size, 150);
  noSecret(t, withEnv, [out2, tmp]);

  // the same token for the destination side does nothing for the source
  const wrongSide = await runCli(['fhir-store', s.base, path.join(tmp, 'out3')], { env: { DEID_DESTINATION_AUTHORIZATION: `Bearer ${SOURCE_SECRET}` } });
  t.equal(wrongSide.code, 73, wrongSide.stderr);
});

t.test('a wrong token answered with 403 everywhere: the Patients of the contextual pre-pass are refused, so the run fails as fast; --resume needs the credentials again and then completes the failed operation', async (t) => {
  const s = await guarded(t, resources(), SOURCE_SECRET, 403);
  const tmp = tempDir(t);
  const out = path.join(tmp, 'out');
  const ops = path.join(out, '.deid-operations');
  const bad = await runCli(['fhir-store', s.base, out], { env: { DEID_SOURCE_AUTHORIZATION: 'Bearer wrong-token' } });
  t.equal(bad.code, 73, bad.stderr);
  t.match(bad.stderr, /STORE_FORBIDDEN: .*the patients for contextual de-identification could not be read \(reading Patient stopped: HTTP 403 GET \/fhir\/Patient\)/);
  t.ok(s.requests.length <= 2, `no storm of refused requests (${s.requests.length})`);
  t.notMatch(bad.stderr, /wrong-token/);
  const id = idOf(bad.stderr);
  t.equal(readRecord(ops, id).status, 'failed');
  const again = await runCli(['fhir-store', s.base, out, '--resume', id]);
  t.equal(again.code, 73, 'a resume without credentials is refused as the first run was');
  const ok = await runCli(['fhir-store', s.base, out, '--resume', id], { env: { DEID_SOURCE_AUTHORIZATION: `Bearer ${SOURCE_SECRET}` } });
  t.equal(ok.code, 0, ok.stderr);
  const rec = readRecord(ops, id);
  t.equal(rec.status, 'succeeded');
  t.same(rec.counters, { success: 150, failure: 0, pending: 0 });
  t.equal(folderResources(out).size, 150);
  noSecret(t, ok, [out]);
});

t.test('a destination that needs its own token: refused writes stop the run after one batch; --resume with --destination-headers stores everything', async (t) => {
  const src = await guarded(t, resources(), SOURCE_SECRET);
  const dst = await guarded(t, [], DEST_SECRET);
  const tmp = tempDir(t);
  const ops = path.join(tmp, 'ops');
  const srcEnv = { DEID_SOURCE_AUTHORIZATION: `Bearer ${SOURCE_SECRET}` };
  const first = await runCli(['fhir-store', src.base, dst.base, '--operation-dir', ops], { env: srcEnv });
  t.equal(first.code, 73, first.stderr);
  t.match(first.stderr, /STORE_UNAUTHORIZED: .*HTTP 401 POST \/fhir/);
  t.equal(dst.requests.length, 1, 'one refused batch, not one per batch or a retry storm');
  const id = idOf(first.stderr);
  const rec0 = readRecord(ops, id);
  t.equal(rec0.status, 'failed');
  t.equal(rec0.source, src.base);
  t.equal(rec0.destination, dst.base);
  const hf = headerFile(tmp, 'dst.headers', `Authorization: Bearer ${DEST_SECRET}\n`);
  const ok = await runCli(['fhir-store', src.base, dst.base, '--operation-dir', ops, '--resume', id, '--destination-headers', hf], { env: srcEnv });
  t.equal(ok.code, 0, ok.stderr);
  t.same(readRecord(ops, id).counters, { success: 150, failure: 0, pending: 0 });
  t.equal(dst.stored.size, 150);
  t.ok(dst.requests.slice(1).every((r) => r.authorization === `Bearer ${DEST_SECRET}`));
  t.ok(src.requests.every((r) => r.authorization === `Bearer ${SOURCE_SECRET}`), 'the destination token never goes to the source');
  noSecret(t, first, [ops]);
  noSecret(t, ok, [ops]);
});

t.test('header files that cannot be used: config error (78) naming the file and line, never the line; nothing written', async (t) => {
  const s = await guarded(t, resources(), SOURCE_SECRET);
  const tmp = tempDir(t);
  const out = path.join(tmp, 'out');
  const cases: Array<[string, string | null, RegExp]> = [
    ['missing', null, /--source-headers .*missing\.headers: cannot be read \(ENOENT\)/],
    ['no colon', `# ok\nAuthorization: Bearer x\nBearer ${SOURCE_SECRET}\n`, /no-colon\.headers: line 3: not "Name: value"/],
    ['bad name', `Authorization Bearer ${SOURCE_SECRET}: x\n`, /bad-name\.headers: line 1: not a valid header name/],
    ['empty value', 'Authorization:   \n', /line 1: empty value/],
    ['twice', `Authorization: Bearer ${SOURCE_SECRET}\nauthorization: Bearer ${SOURCE_SECRET}\n`, /line 2: authorization is given twice/],
    ['reserved', `Host: ${SOURCE_SECRET}\n`, /line 1: host is set by deid/],
    ['control', `Authorization: Bearer ${SOURCE_SECRET}\u0000\n`, /line 1: the value holds control characters/],
  ];
  for (const [name, text, re] of cases) {
    const f = path.join(tmp, `${name.replace(/ /g, '-')}.headers`);
    if (text !== null) headerFile(tmp, path.basename(f), text);
    const r = await runCli(['fhir-store', s.base, out, '--source-headers', f]);
    t.equal(r.code, 78, `${name}: ${r.stderr}`);
    t.match(r.stderr, re, name);
    t.notMatch(r.stderr, SOURCE_SECRET, `${name}: the line is not quoted`);
    t.notOk(fs.existsSync(out), `${name}: nothing written`);
  }
  const dir = await runCli(['fhir-store', s.base, out, '--source-headers', tmp]);
  t.equal(dir.code, 78);
  t.match(dir.stderr, /not a regular file/);
  t.equal(s.requests.length, 0, 'the server was never asked');

  const both = await runCli(['fhir-store', s.base, out, '--source-headers', headerFile(tmp, 'a.headers', `Authorization: Bearer ${SOURCE_SECRET}\n`)], { env: { DEID_SOURCE_AUTHORIZATION: 'Bearer other' } });
  t.equal(both.code, 64, both.stderr);
  t.match(both.stderr, /both by --source-headers and by \$DEID_SOURCE_AUTHORIZATION/);

  const envCtl = await runCli(['fhir-store', s.base, out], { env: { DEID_SOURCE_AUTHORIZATION: `Bearer ${SOURCE_SECRET}\r\nX-Injected: 1` } });
  t.equal(envCtl.code, 78);
  t.notMatch(envCtl.stderr, SOURCE_SECRET);

  const folder = path.join(tmp, 'folder-src');
  fs.mkdirSync(folder);
  const notHttp = await runCli(['fhir-store', folder, out, '--source-headers', path.join(tmp, 'a.headers')]);
  t.equal(notHttp.code, 64, notHttp.stderr);
  t.match(notHttp.stderr, /--source-headers is for a store reached over http/);
  t.notOk(fs.existsSync(out));
});

t.test('a header file others can read: a warning naming the file and mode, never its content', async (t) => {
  const s = await guarded(t, resources(), SOURCE_SECRET);
  const tmp = tempDir(t);
  const hf = headerFile(tmp, 'open.headers', `Authorization: Bearer ${SOURCE_SECRET}\n`, 0o644);
  const r = await runCli(['fhir-store', s.base, path.join(tmp, 'out'), '--source-headers', hf]);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stderr, /warning: --source-headers .*open\.headers can be read by other users \(mode 644\)/);
  t.notMatch(r.stderr, SOURCE_SECRET);
});

t.test('credentials in the URL are refused without echoing them', async (t) => {
  const tmp = tempDir(t);
  const r = await runCli(['fhir-store', `http://user:${SOURCE_SECRET}@127.0.0.1:9/fhir`, path.join(tmp, 'out')]);
  t.equal(r.code, 78, r.stderr);
  t.match(r.stderr, /STORE_URI_INVALID.*--source-headers/);
  t.notMatch(r.stderr, SOURCE_SECRET);
  t.notMatch(r.stderr, /user/);
});

t.test('--timeout and --retries: checked before anything is done (64), and they bound a request that never answers', async (t) => {
  const tmp = tempDir(t);
  const out = path.join(tmp, 'out');
  for (const bad of [['--timeout', '0'], ['--timeout', '-1'], ['--timeout', 'abc'], ['--timeout', '1e3'], ['--timeout', '86401'], ['--retries', '-1'], ['--retries', '1.5'], ['--retries', '101'], ['--retries', 'x']]) {
    const r = await runCli(['fhir-store', 'http://127.0.0.1:9/fhir', out, ...bad]);
    t.equal(r.code, 64, `${bad.join(' ')}: ${r.stderr}`);
    t.match(r.stderr, new RegExp(`USAGE: .*${bad[0]} must be`));
    t.notOk(fs.existsSync(out));
    t.notOk(fs.existsSync(path.join(tmp, '.deid-operations')));
  }
  const s = await startMisbehavingFhir(resources(), () => 'hang');
  t.teardown(() => s.close());
  const at = Date.now();
  const r = await runCli(['fhir-store', s.base, out, '--timeout', '0.5', '--retries', '1']);
  const took = Date.now() - at;
  t.equal(r.code, 73, r.stderr);
  t.match(r.stderr, /STORE_UNAVAILABLE/);
  t.equal(s.requests.length, 2, 'one try and one retry');
  t.ok(took < 8000, `took ${took} ms`);
});

t.test('with credentials, a redirect is not followed: the header file\'s headers never reach another server', async (t) => {
  const elsewhere = await startMisbehavingFhir(resources());
  t.teardown(() => elsewhere.close());
  const seenHeaders: string[] = [];
  const http = await import('node:http');
  const spy = http.createServer((req, res) => {
    seenHeaders.push(JSON.stringify(req.headers));
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => spy.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => spy.close(() => r())));
  const spyBase = `http://127.0.0.1:${(spy.address() as import('node:net').AddressInfo).port}/fhir`;
  const s = await startMisbehavingFhir(resources(), () => ({ status: 307, headers: { location: `${spyBase}/Patient` } }));
  t.teardown(() => s.close());
  const tmp = tempDir(t);
  const hf = headerFile(tmp, 'src.headers', `X-Api-Key: ${SOURCE_SECRET}\n`);
  const r = await runCli(['fhir-store', s.base, path.join(tmp, 'out'), '--source-headers', hf, '--retries', '0']);
  t.equal(r.code, 73, r.stderr);
  t.match(r.stderr, /STORE_REJECTED/, "the redirect is an answer the store refused with");
  t.same(seenHeaders, [], 'the other server was never asked');
  t.notMatch(r.stderr, SOURCE_SECRET);
});
