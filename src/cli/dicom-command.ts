import { Command, InvalidArgumentError } from 'commander';
import { ExitCode } from '../core/errors.js';
import type { DeidConfig } from '../config/model.js';
import { OPTION_NAMES, parseOptionName } from '../dicom/profile/options.js';
import type { DicomExtension } from '../dicom/profile/plan.js';
import { checkDicomSettings } from '../pipeline/dicom-instance.js';
import { runDicom } from '../pipeline/run-dicom.js';
import { loadRunKey } from './run-key.js';

export function registerDicomCommand(program: Command, setStatus: (s: number) => void): void {
  program
    .command('dicom')
    .description('De-identify DICOM part-10 instances (PS3.15 basic profile by default)')
    .argument('[inputs...]', 'part-10 files, folders (recursive), or - for one instance on stdin', [])
    .requiredOption('-o, --output <out>', 'output folder (<StudyUID>/<SeriesUID>/<SOPInstanceUID>.dcm), or - for one instance on stdout')
    .option('-c, --config <file>', 'Google DeidentifyConfig (JSON or YAML) with dicom or dicomTagConfig; default: PS3.15 basic + modified dates')
    .option('--key-file <file>', 'key: ≥32 bytes as hex, base64 or raw (else $DEID_KEY, else a random key)')
    .option('--errors <file>', 'NDJSON error log, one line per failed instance')
    .option('--report <file>', 'JSON operation report')
    .option(
      '--option <name>',
      `PS3.15 option, repeatable (${OPTION_NAMES.join(', ')}); prefix no- to turn one off; config: deid.dicom.options`,
      (v: string, prev: string[]) => {
        const name = v.replace(/^no-/, '');
        if (!parseOptionName(name)) throw new InvalidArgumentError(`expected one of ${OPTION_NAMES.join(', ')}`);
        return [...prev, v];
      },
      [] as string[],
    )
    .option('--allow-burned-in', 'de-identify instances that may have burned-in text instead of quarantining them (DICOM_BURNED_IN); config: deid.dicom.allowBurnedIn')
    .option('--threads <n>', 'worker threads besides the main one (default: one less than the CPUs from 256 instances on; 0: none)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number >= 0');
      return n;
    })
    .option('-q, --quiet', 'no summary line on stderr')
    .action(async (inputs: string[], opts: DicomCliOptions) => {
      // deid.dicom in the config file first, then the command line on top of it. Without a file the
      // config schema is not loaded at all (runDicom uses deid's default; see its `config`).
      let config: DeidConfig | undefined;
      let extension: DicomExtension = {};
      if (opts.config) ({ config, extension } = (await import('../dicom/profile/config-extension.js')).loadDicomConfigFile(opts.config));
      const key = loadRunKey(opts.keyFile);
      const options: Record<string, boolean> = {};
      const fromFile = extension.options ?? [];
      for (const [k, v] of Array.isArray(fromFile) ? fromFile.map((n: string) => [n, true] as const) : Object.entries(fromFile)) options[k] = v === true;
      for (const v of opts.option) options[v.replace(/^no-/, '')] = !v.startsWith('no-');
      const allowBurnedIn = opts.allowBurnedIn === true || extension.allowBurnedIn === true;
      checkDicomSettings(config, { options, allowBurnedIn }, opts.config);
      const stats = await runDicom({
        inputs,
        output: opts.output,
        ...(config ? { config } : {}),
        key,
        extension: { options, allowBurnedIn },
        ...(opts.errors ? { errorsFile: opts.errors } : {}),
        ...(opts.report ? { reportFile: opts.report } : {}),
        ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      });
      if (!opts.quiet) process.stderr.write(stats.summary('dicom') + '\n');
      setStatus(stats.totals.failed > 0 ? ExitCode.RECORDS_FAILED : ExitCode.OK);
    });
}

interface DicomCliOptions {
  output: string;
  config?: string;
  keyFile?: string;
  errors?: string;
  report?: string;
  option: string[];
  allowBurnedIn?: boolean;
  quiet?: boolean;
  threads?: number;
}
