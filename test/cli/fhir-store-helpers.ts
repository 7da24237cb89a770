import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { BIN, KEY_A, repoRoot, sharedData } from '../helpers/run-cli.js';

export const BULK = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients');

/** A temp folder removed when the test ends. */
export function tempDir(t: { teardown(fn: () => void): void }, prefix = 'deid-op-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.teardown(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

/** `copies` copies of the bulk sample with ids made unique per copy: a source big enough to interrupt. */
export function replicateBulk(dir: string, copies: number): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(BULK).filter((n) => n.endsWith('.ndjson'))) {
    const lines = fs.readFileSync(path.join(BULK, f), 'utf8').split('\n').filter(Boolean);
    const out: string[] = [];
    for (let k = 0; k < copies; k++) {
      for (const l of lines) {
        const r = JSON.parse(l) as Record<string, unknown>;
        r.id = `${String(r.id)}-${k}`;
        out.push(JSON.stringify(r));
      }
    }
    fs.writeFileSync(path.join(dir, f), out.join('\n') + '\n');
  }
}

export interface Spawned {
  /** Resolves with the operation id printed at start. */
  id: Promise<string>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill(sig: NodeJS.Signals): void;
}

/** `deid ARGS` as a child process that a test can signal. */
export function spawnDeid(args: string[], env: Record<string, string> = {}): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: repoRoot, env: { ...(process.env as Record<string, string>), DEID_KEY: KEY_A, ...env } });
  let stderr = '';
  let gotId: (id: string) => void = () => undefined;
  const id = new Promise<string>((r) => (gotId = r));
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
    const m = /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr);
    if (m) gotId(m[1]!);
  });
  child.stdout.resume();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { id, done, kill: (sig) => child.kill(sig) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the operation record until `pred` holds (or the run ends). */
export async function waitForRecord(file: string, pred: (rec: Record<string, any>) => boolean, ended: () => boolean): Promise<boolean> {
  for (;;) {
    if (ended()) return false;
    try {
      if (pred(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, any>)) return true;
    } catch {
      // not written yet
    }
    await sleep(10);
  }
}

export function readRecord(dir: string, id: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(dir, `${id}.json`), 'utf8')) as Record<string, any>;
}

export function doneUnits(rec: Record<string, any>): number {
  let n = 0;
  for (const s of Object.values(rec.stores ?? {}) as any[]) for (const u of Object.values(s.units) as any[]) if (u.done) n++;
  return n;
}

export async function pgQuery<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** `Type/id` → body of every line of a bulk folder's Type.ndjson files. */
export function folderResources(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ndjson'))) {
    for (const l of fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean)) {
      const r = JSON.parse(l) as Record<string, unknown>;
      const k = `${String(r.resourceType)}/${String(r.id)}`;
      if (m.has(k)) throw new Error(`duplicate ${k} in ${f}`);
      m.set(k, l);
    }
  }
  return m;
}
