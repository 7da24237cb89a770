import { Command, InvalidArgumentError, Option } from 'commander';
import { ExitCode } from '../core/errors.js';
import { runFhir } from '../pipeline/run-fhir.js';
import { loadRunConfig, loadRunKey } from './run-options.js';

export function registerFhirCommand(program: Command, setStatus: (s: number) => void): void {
  program
    .command('fhir')
    .description('De-identify FHIR R4 NDJSON, bulk-export folders or Bundle JSON')
    .argument('[inputs...]', 'files (.ndjson, .ndjson.gz, .json), bulk export folders, or - for stdin', [])
    .option('-o, --output <out>', 'output: - for NDJSON on stdout (default), or a folder (bulk layout)', '-')
    .option('-c, --config <file>', 'Google DeidentifyConfig (JSON or YAML); default: the BASIC profile')
    .option('--key-file <file>', 'key: ≥32 bytes as hex, base64 or raw (else $DEID_KEY, else a random key)')
    .option('--errors <file>', 'NDJSON error log, one line per failed record')
    .option('--report <file>', 'JSON operation report')
    .option('--unbundle', 'write the entries of Bundles as separate NDJSON records')
    .option('--keep-ids', 'keep resource ids and references as they are')
    .addOption(new Option('--max-line-length <bytes>', 'longest accepted NDJSON line').argParser((v) => parseSize(v)))
    .option('--threads <n>', 'worker threads de-identifying NDJSON files beside the main thread (default 0: none; each adds 55-85 MB of memory; stdin and .json inputs: none)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number >= 0');
      return n;
    })
    .option('-q, --quiet', 'no summary line on stderr')
    .action(async (inputs: string[], opts: FhirCliOptions) => {
      const config = await loadRunConfig(opts.config);
      if (opts.keepIds && config.fhir) config.fhir = { ...config.fhir, pseudonymizeIds: false };
      const key = loadRunKey(opts.keyFile);
      const stats = await runFhir({
        inputs,
        output: opts.output,
        config,
        key,
        ...(opts.errors ? { errorsFile: opts.errors } : {}),
        ...(opts.report ? { reportFile: opts.report } : {}),
        unbundle: Boolean(opts.unbundle),
        ...(opts.maxLineLength ? { maxLineLength: opts.maxLineLength } : {}),
        ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      });
      if (!opts.quiet) process.stderr.write(stats.summary('fhir') + '\n');
      setStatus(stats.totals.failed > 0 ? ExitCode.RECORDS_FAILED : ExitCode.OK);
    });
}

interface FhirCliOptions {
  output: string;
  config?: string;
  keyFile?: string;
  errors?: string;
  report?: string;
  unbundle?: boolean;
  keepIds?: boolean;
  maxLineLength?: number;
  threads?: number;
  quiet?: boolean;
}

function parseSize(v: string): number {
  const m = /^(\d+)([kmg]i?b?)?$/i.exec(v.trim());
  if (!m) throw new InvalidArgumentError('expected a size such as 1048576, 512k or 64m');
  const mult = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? ' ')[0]!.toLowerCase() as 'k' | 'm' | 'g'] ?? 1;
  return Number(m[1]) * mult;
}
