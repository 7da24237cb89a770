import type { Command } from 'commander';
import { ExitCode } from '../core/errors.js';
import { loadPipelineFile } from '../pipeline/pipeline-file.js';
import { runFhir } from '../pipeline/run-fhir.js';
import { loadRunConfig, loadRunKey } from './run-options.js';

export function registerRunCommand(program: Command, setStatus: (s: number) => void): void {
  program
    .command('run')
    .description('Run a declarative YAML pipeline (see pipelines/)')
    .argument('<pipeline>', 'pipeline YAML file')
    .option('--key-file <file>', 'key: ≥32 bytes as hex, base64 or raw (else $DEID_KEY, else a random key)')
    .option('-q, --quiet', 'no summary line on stderr')
    .action(async (file: string, opts: { keyFile?: string; quiet?: boolean }) => {
      const p = loadPipelineFile(file);
      const config = await loadRunConfig(p.config);
      const key = loadRunKey(opts.keyFile);
      const stats = await runFhir({
        inputs: p.inputs,
        output: p.output,
        config,
        key,
        stages: p.stages,
        unbundle: p.unbundle,
        ...(p.errors ? { errorsFile: p.errors } : {}),
        ...(p.report ? { reportFile: p.report } : {}),
      });
      if (!opts.quiet) process.stderr.write(stats.summary(`run ${p.name}`) + '\n');
      setStatus(stats.totals.failed > 0 ? ExitCode.RECORDS_FAILED : ExitCode.OK);
    });
}
