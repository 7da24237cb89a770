import pg from 'pg';
import type { TestLike } from './test-like.js';

const HOST = '127.0.0.1:5432';
const USERS = ['postgres', 'root'];

const probed = new Map<string, Promise<string | undefined>>();

async function canConnect(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * Connection string of the PostgreSQL the tests use (127.0.0.1:5432, trust
 * auth, user postgres or root, database `test`), or undefined after marking
 * the test skipped with a loud line. Under CI=true a missing server fails the
 * test instead: CI must not pass by skipping.
 */
export async function requirePostgres(t: TestLike, host = HOST): Promise<string | undefined> {
  let probe = probed.get(host);
  if (!probe) {
    probe = (async () => {
      for (const user of USERS) {
        const url = `postgres://${user}@${host}/test`;
        if (await canConnect(url)) return url;
      }
      return undefined;
    })();
    probed.set(host, probe);
  }
  const url = await probe;
  if (url) return url;
  const line = `SKIP: no PostgreSQL at ${host}`;
  if (process.env.CI === 'true') {
    t.fail(`${line} (CI=true: PostgreSQL is required)`);
    return undefined;
  }
  console.error(`\n*** ${line} ***\n`);
  t.comment(line);
  t.plan(0, line);
  return undefined;
}

let counter = 0;

/** A table name no other test uses; the table is dropped when the test ends. */
export function uniqueTable(t: TestLike, url: string, prefix = 'deid_t'): string {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.query(`DROP TABLE IF EXISTS "${name}"`);
    } finally {
      await c.end().catch(() => undefined);
    }
  });
  return name;
}
