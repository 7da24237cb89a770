// Runs the tap suite and ends with the plain line `N passed, N failed, N skipped`
// that CI reads. tap's own output streams through unchanged; its exit status
// is kept. Extra arguments go to tap (e.g. a test file).
import { spawn } from 'node:child_process';

const child = spawn('npx', ['tap', '--reporter=tap', ...process.argv.slice(2)], { stdio: ['inherit', 'pipe', 'inherit'] });
let summary;
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString('utf8')).slice(-4096);
});
child.on('close', (code) => {
  // tap's final line: `# { total: 34, pass: 33, fail: 1, skip: 2 }`
  const m = /#\s*\{([^}]*)\}\s*$/m.exec(tail.trimEnd().split('\n').filter((l) => /^# \{/.test(l)).pop() ?? '');
  const fields = Object.fromEntries([...(m?.[1] ?? '').matchAll(/(\w+):\s*(\d+)/g)].map(([, k, v]) => [k, Number(v)]));
  const passed = fields.pass ?? 0;
  const failed = fields.fail ?? (code === 0 ? 0 : 1);
  const skipped = (fields.skip ?? 0) + (fields.todo ?? 0);
  summary = `${passed} passed, ${failed} failed, ${skipped} skipped`;
  process.stdout.write(`\n${summary}\n`);
  process.exitCode = code ?? 1;
});
