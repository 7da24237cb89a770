import { spawn } from 'node:child_process';
import fs from 'node:fs';

/** Runs a command with GNU time: wall seconds and peak RSS (MB); stdout to /dev/null. */
export function measure(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const devnull = fs.openSync('/dev/null', 'w');
    const child = spawn('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {
      stdio: ['ignore', devnull, 'pipe'],
      env: { ...process.env, ...env },
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
