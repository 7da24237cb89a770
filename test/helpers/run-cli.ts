import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedData = path.resolve(repoRoot, '../shared/data');
export const BIN = path.join(repoRoot, 'bin/deid.js');
export const KEY_A = '0f'.repeat(32);
export const KEY_B = 'a5'.repeat(32);

export interface CliResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs the built `deid` binary (npm test builds dist first). */
export function runCli(args: string[], opts: { input?: Buffer | string; env?: Record<string, string>; key?: string | null } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...opts.env };
    delete env.DEID_KEY;
    if (opts.key !== null) env.DEID_KEY = opts.key ?? KEY_A;
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: repoRoot });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined);
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

export function parseNdjson(b: Buffer | string): Record<string, unknown>[] {
  return b
    .toString()
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
