import { runCli, type CliResult } from '../helpers/run-cli.js';

/** Runs `deid dicom ARGS` through the built binary. */
export function runDicomCli(args: string[], opts: { input?: Buffer | string; key?: string | null } = {}): Promise<CliResult> {
  return runCli(['dicom', ...args], opts);
}
