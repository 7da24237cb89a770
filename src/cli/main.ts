import { Command, CommanderError } from 'commander';
import { DeidError, ExitCode, isDeidError } from '../core/errors.js';
import { registerFhirCommand } from './fhir-command.js';
import { registerDicomCommand } from './dicom-command.js';
import { registerRunCommand } from './run-command.js';
import { registerFhirStoreCommand } from './fhir-store-command.js';
import { registerDatasetCommand } from './dataset-command.js';
import { registerOperationCommand } from './operation-command.js';
import { registerDicomStoreCommand } from './dicom-store-command.js';
import { registerTextCommand } from './text-command.js';
import { exitCodeFor } from './exit-codes.js';

/**
 * Entry point of the `deid` command. Returns the process exit status; every
 * error is reported on stderr by its code and message (never with record
 * contents or a stack trace).
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('deid')
    .description('Streaming de-identification of FHIR and DICOM data')
    .version(process.env.npm_package_version ?? '0.1.0')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  let status: number = ExitCode.OK;
  const setStatus = (s: number) => {
    status = s;
  };
  registerFhirCommand(program, setStatus);
  registerDicomCommand(program, setStatus);
  registerRunCommand(program, setStatus);
  registerFhirStoreCommand(program, setStatus);
  registerDatasetCommand(program, setStatus);
  registerOperationCommand(program, setStatus);
  registerDicomStoreCommand(program, setStatus);
  registerTextCommand(program, setStatus);

  try {
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
