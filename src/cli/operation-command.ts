import path from 'node:path';
import type { Command } from 'commander';
import { loadOperation, OPERATION_DIR_NAME } from '../operations/operation-file.js';

export function registerOperationCommand(program: Command, setStatus: (s: number) => void): void {
  const op = program.command('operation').description('Inspect operations (fhir-store, dicom-store, dataset)');
  op.command('show')
    .description('Print an operation record as JSON')
    .argument('<id>', 'operation id')
    .option('--operation-dir <dir>', `folder of the record (default ./${OPERATION_DIR_NAME})`)
    .action((id: string, opts: { operationDir?: string }) => {
      const rec = loadOperation(path.resolve(opts.operationDir ?? OPERATION_DIR_NAME), id);
      process.stdout.write(JSON.stringify(rec, null, 2) + '\n');
      setStatus(0);
    });
}
