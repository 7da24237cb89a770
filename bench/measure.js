import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * The environment every measured tool runs in: this process's, without
 * NODE_EXTRA_CA_CERTS. Node 20 reads and parses that certificate file at every
 * start, before any script runs (on a machine that points it at the system's
 * bundle of ~150 certificates, that is most of `node -e 0`'s instructions), so
 * with it set every Node process measured here, deid and the Node baselines
 * alike, would carry a start-up cost that belongs to the shell, not to the tool.
 * `extraCaCertsCost` measures what it would add.
 */
export const benchEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'));

/** Median wall seconds of `node -e 0` with and without NODE_EXTRA_CA_CERTS, or null when it is not set. */
export function extraCaCertsCost(runs = 5) {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return null;
  const median = (env) => {
    const t = [];
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      spawnSync(process.execPath, ['-e', '0'], { env, stdio: 'ignore' });
      t.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
    return t.sort((a, b) => a - b)[Math.floor(runs / 2)];
  };
  return { file, with: +median(process.env).toFixed(3), without: +median(benchEnv).toFixed(3) };
}

/** Runs a command with GNU time: wall seconds and peak RSS (MB); stdout to /dev/null. */
export function measure(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const devnull = fs.openSync('/dev/null', 'w');
    const child = spawn('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {
      stdio: ['ignore', devnull, 'pipe'],
      env: { ...benchEnv, ...env },
    });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('close', (code) => {
      fs.closeSync(devnull);
      const last = err.trim().split('\n').pop() ?? '';
      const [secs, kb] = last.split(' ').map(Number);
      if (code !== 0 && code !== 3) return reject(new Error(`${cmd} exited ${code}: ${err.slice(-500)}`));
      resolve({ seconds: secs, peakMB: kb / 1024, stderr: err });
    });
  });
}
