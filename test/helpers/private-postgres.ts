import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './orthanc.js';
import type { TestLike } from './test-like.js';

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary folder, a
 * free loopback port, its socket in that folder) that takes passwords only:
 * scram-sha-256 for every connection, superuser `role` with `password`. The
 * shared server the other tests use allows trust only, so password handling
 * cannot be tested against it. initdb refuses to run as root: as root the
 * cluster belongs to the `postgres` system user.
 */
export interface PrivatePostgres {
  port: number;
  role: string;
  password: string;
}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  try {
    const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(a) - Number(b));
    return versions.length ? path.join(root, versions[versions.length - 1]!, 'bin') : undefined;
  } catch {
    return undefined;
  }
}

export async function requirePrivatePostgres(t: TestLike, role: string, password: string): Promise<PrivatePostgres | undefined> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  if (!bin || (asRoot && spawnSync('id', ['postgres']).status !== 0)) {
    const line = 'SKIP: no PostgreSQL server binaries (initdb) to start a password-only cluster';
    if (process.env.CI === 'true') {
      t.fail(`${line} (CI=true: required)`);
      return undefined;
    }
    console.error(`\n*** ${line} ***\n`);
    t.comment(line);
    t.plan(0, line);
    return undefined;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-pgpw-'));
  const data = path.join(dir, 'data');
  const pwFile = path.join(dir, 'pw');
  fs.writeFileSync(pwFile, password + '\n', { mode: 0o600 });
  const run = (cmd: string, args: string[]): void => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    execFileSync(file, argv, { stdio: 'pipe', timeout: 60_000 });
  };
  if (asRoot) {
    fs.chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
    fs.chownSync(pwFile, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), -1);
  }
  const port = await freePort();
  let started = false;
  t.teardown(() => {
    if (started) {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already gone
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  run('initdb', ['-D', data, '-U', role, '--auth=scram-sha-256', `--pwfile=${pwFile}`, '-E', 'UTF8', '--no-locale', '--no-sync']);
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  started = true;
  return { port, role, password };
}
