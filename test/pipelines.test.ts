import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, repoRoot } from './helpers/run-cli.js';
import { loadPipelineFile } from '../src/pipeline/pipeline-file.js';

// Every pipeline in pipelines/ is a runnable sample: it runs here, end to end.
const dir = path.join(repoRoot, 'pipelines');
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
  t.test(f, async (t) => {
    const file = path.join(dir, f);
    const p = loadPipelineFile(file);
    const r = await runCli(['run', file]);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stderr, new RegExp(`deid run ${p.name}: \\d+ in, \\d+ out, 0 failed`));
    if (p.report) {
      const report = JSON.parse(fs.readFileSync(p.report, 'utf8'));
      t.ok(report.records.in > 0);
      t.equal(report.records.in, report.records.out + report.records.failed);
    }
    if (p.output !== '-') {
      const manifest = JSON.parse(fs.readFileSync(path.join(p.output, 'manifest.json'), 'utf8'));
      t.ok(manifest.output.length > 0);
    }
  });
}

t.test('a pipeline naming an unknown stage is refused before any output', async (t) => {
  const tmp = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-pipe-'));
  const file = path.join(tmp, 'bad.yaml');
  fs.writeFileSync(file, `name: bad\ninput: ${path.join(repoRoot, 'data/samples/fhir')}\noutput: ${path.join(tmp, 'out')}\nstages: [no-such-stage]\n`);
  const r = await runCli(['run', file]);
  t.equal(r.code, 78);
  t.match(r.stderr, /stages\.0: unknown stage/);
  t.notOk(fs.existsSync(path.join(tmp, 'out')));
});
