import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What a password is looked up for (node-postgres' connection parameters). */
export interface PgTarget {
  host?: string | undefined;
  port?: number | string | undefined;
  database?: string | undefined;
  user?: string | undefined;
}

/** Splits a password file line on unescaped `:`; `\` escapes `:` and `\` (libpq's rules). */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) cur += line[++i];
    else if (c === ':') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * The password of the first line of a password file that matches `t`
 * (`hostname:port:database:username:password`, `*` matching anything in the
 * first four fields; lines starting with `#` and short lines are skipped;
 * the password ends at an unescaped `:`, as libpq reads it).
 * A Unix-socket host (an absolute path) matches `localhost`, as in libpq.
 */
export function pgpassLookup(text: string, t: PgTarget): string | undefined {
  const host = !t.host || t.host.startsWith('/') ? 'localhost' : t.host;
  const want = [host, String(t.port ?? 5432), t.database ?? t.user ?? '', t.user ?? ''];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const f = fields(line);
    if (f.length < 5) continue;
    if (want.every((w, i) => f[i] === '*' || f[i] === w)) return f[4];
  }
  return undefined;
}

/** `$PGPASSFILE`, else `~/.pgpass`. */
export function passFileOf(env: NodeJS.ProcessEnv = process.env): string {
  return env.PGPASSFILE || path.join(env.HOME || os.homedir(), '.pgpass');
}

/**
 * The password file's entry for `t`, read at each connection (libpq reads it
 * when a password is asked for). A file that does not exist gives none; one
 * that is not a regular file, or that group or others may read or write, is
 * ignored with a warning, as libpq does. Warnings name the file, never a
 * line of it.
 */
export function passFilePassword(t: PgTarget, env: NodeJS.ProcessEnv = process.env, warn: (msg: string) => void = (m) => process.stderr.write(m)): string | undefined {
  const file = passFileOf(env);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (!st.isFile()) {
    warn(`deid: warning: password file ${file} is not a regular file; it is not used\n`);
    return undefined;
  }
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    warn(`deid: warning: password file ${file} has group or world access (mode ${(st.mode & 0o777).toString(8).padStart(3, '0')}); it is not used: chmod 600 it\n`);
    return undefined;
  }
  try {
    return pgpassLookup(fs.readFileSync(file, 'utf8'), t);
  } catch {
    return undefined;
  }
}

/** True when a postgres URL carries a password (user info or `?password=`). */
export function urlHasPassword(u: URL): boolean {
  return u.password !== '' || u.searchParams.has('password');
}
