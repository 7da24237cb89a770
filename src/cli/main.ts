import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { DeidError, ExitCode, isDeidError } from '../core/errors.js';
import { guardStdout } from '../sinks/stdout.js';
import { exitCodeFor } from './exit-codes.js';

type Register = (program: Command, setStatus: (s: number) => void) => void;

/**
 * Each command's module, loaded only when that command runs: `deid dicom`
 * never evaluates the FHIR, text, store or config-schema code it does not use
 * (start-up is most of the time of a run on a small input; see ARCHITECTURE.md).
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  fhir: async () => (await import('./fhir-command.js')).registerFhirCommand,
  dicom: async () => (await import('./dicom-command.js')).registerDicomCommand,
  run: async () => (await import('./run-command.js')).registerRunCommand,
  'fhir-store': async () => (await import('./fhir-store-command.js')).registerFhirStoreCommand,
  dataset: async () => (await import('./dataset-command.js')).registerDatasetCommand,
  operation: async () => (await import('./operation-command.js')).registerOperationCommand,
  'dicom-store': async () => (await import('./dicom-store-command.js')).registerDicomStoreCommand,
  text: async () => (await import('./text-command.js')).registerTextCommand,
};

/**
 * The commands to register for `argv`: the one named first, or all of them
 * (top-level help, version, an unknown command) so commander lists them.
 */
async function commandsFor(argv: readonly string[]): Promise<Register[]> {
  const first = argv[0];
  if (argv.length === 1 && (first === '--version' || first === '-V')) return [];
  const named = first !== undefined && Object.hasOwn(COMMANDS, first) ? [COMMANDS[first]!] : Object.values(COMMANDS);
  return Promise.all(named.map((load) => load()));
}

/**
 * Entry point of the `deid` command. Returns the process exit status; every
 * error is reported on stderr by its code and message (never with record
 * contents or a stack trace).
 */
export async function main(argv: string[]): Promise<number> {
  // `deid … 2>&1 | head -1`: the summary and warnings meet the closed pipe on stderr, quietly
  guardStdout(process.stderr);
  const program = new Command('deid')
    .description('Streaming de-identification of FHIR and DICOM data')
    .version(packageVersion())
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  let status: number = ExitCode.OK;
  const setStatus = (s: number) => {
    status = s;
  };

  try {
    for (const register of await commandsFor(argv)) register(program, setStatus);
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCode.OK;
      return ExitCode.USAGE;
    }
    const err = isDeidError(e) ? e : new DeidError('INTERNAL');
    process.stderr.write(`deid: ${err.code}: ${err.message}\n`);
    return exitCodeFor(err.code);
  }
}

/** The version in package.json (two folders up from dist/cli and from dist/bundle alike). */
function packageVersion(): string {
  try {
    const v = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : 'unknown';
  } catch {
    return 'unknown';
  }
}
