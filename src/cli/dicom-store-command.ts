import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DeidError } from '../core/errors.js';
import { checkDicomSettings } from '../pipeline/dicom-instance.js';
import { loadDicomConfigFile } from '../dicom/profile/config-extension.js';
import type { DicomExtension } from '../dicom/profile/plan.js';
import { operationSummary } from '../operations/cli-support.js';
import { OPERATION_DIR_NAME } from '../operations/operation-file.js';
import { runOperation } from '../operations/run-operation.js';
import { writeReport } from '../pipeline/write-report.js';
import { FolderDicomStore } from '../stores/dicom/folder-store.js';
import { openDicomStore } from '../stores/dicom/open-dicom-store.js';
import type { DicomStore } from '../stores/dicom/types.js';
import { readFilterFile } from './filter-file.js';
import { loadRunConfig, loadRunKey } from './run-options.js';
import { parseRequestOptions, refuseHeadersFor, storeAccess, type StoreAccessCliOptions } from './store-access.js';

interface DicomStoreCliOptions extends StoreAccessCliOptions {
  config?: string;
  keyFile?: string;
  filterFile?: string;
  operationDir?: string;
  resume?: string;
  errors?: string;
  report?: string;
  quiet?: boolean;
}

export function registerDicomStoreCommand(program: Command, setStatus: (s: number) => void): void {
  program
    .command('dicom-store')
    .description('De-identify a DICOM store (folder or dicomweb+http(s)://…) into another, as a resumable operation')
    .argument('<source>', 'source store: a folder of part-10 files or a DICOMweb base URL (dicomweb+https://host/base)')
    .argument('<destination>', 'destination store (a folder is written as <StudyUID>/<SeriesUID>/<SOPInstanceUID>.dcm)')
    .option('-c, --config <file>', 'Google DeidentifyConfig with a dicom part (and deid.dicom settings)')
    .option('--key-file <file>', 'key: ≥32 bytes as hex, base64 or raw (else $DEID_KEY, else a random key)')
    .option('--filter-file <file>', 'only these: one /studies/{uid}[/series/{uid}[/instances/{uid}]] a line')
    .option('--operation-dir <dir>', `where the operation record goes (default: <destination folder>/${OPERATION_DIR_NAME}, else ./${OPERATION_DIR_NAME})`)
    .option('--resume <id>', 'continue an unfinished operation')
    .option('--errors <file>', 'error log (default: beside the operation record; --resume keeps the first and refuses another)')
    .option('--report <file>', 'write the final operation record here too')
    .option('--source-headers <file>', 'headers for an DICOMweb source, one "Name: value" a line (e.g. Authorization: Bearer …); else $DEID_SOURCE_AUTHORIZATION')
    .option('--destination-headers <file>', 'headers for an DICOMweb destination, as --source-headers; else $DEID_DESTINATION_AUTHORIZATION')
    .option('--timeout <seconds>', 'per-request timeout of the DICOMweb stores, until the answer starts and between two parts of its body (default 60)')
    .option('--retries <n>', 'retries of a request that failed for a transient reason (connection, timeout, 408, 429, 5xx; default 3)')
    .option('-q, --quiet', 'no summary line on stderr')
    .action(async (src: string, dst: string, opts: DicomStoreCliOptions) => {
      const request = parseRequestOptions(opts);
      const { config, extension } = opts.config ? loadDicomConfigFile(opts.config) : { config: await loadRunConfig(undefined), extension: {} as DicomExtension };
      checkDicomSettings(config, extension, opts.config);
      const key = loadRunKey(opts.keyFile);
      const filter = opts.filterFile ? readFilterFile(opts.filterFile) : undefined;
      // a signal aborts the DICOMweb requests in flight (the study is redone on resume) rather than waiting out their timeouts
      const stop = new AbortController();
      const warn = (side: string) => (m: string): void => void process.stderr.write(`deid: warning: ${side} ${m}\n`);
      const source = openDicomStore(src, { ...storeAccess('source', opts.sourceHeaders, request), signal: stop.signal, onWarning: warn('source') });
      const destination = openDicomStore(dst, { ...storeAccess('destination', opts.destinationHeaders, request), signal: stop.signal, onWarning: warn('destination') });
      try {
        refuseHeadersFor('source', opts.sourceHeaders, source.kind === 'dicomweb');
        refuseHeadersFor('destination', opts.destinationHeaders, destination.kind === 'dicomweb');
        if (identity(source) === identity(destination)) throw new DeidError('USAGE', 'source and destination are the same store; the source is never modified');
        // a folder source is read with every sub-folder: a destination inside it would be read back in by a re-run or resume
        if (source instanceof FolderDicomStore && destination instanceof FolderDicomStore && isInside(identity(destination), identity(source))) {
          throw new DeidError('USAGE', 'the destination folder cannot be inside the source folder');
        }
        if (source instanceof FolderDicomStore && !isDir(source.root)) throw new DeidError('INPUT_NOT_FOUND', src, { file: src });
        const operationDir = path.resolve(opts.operationDir ?? (destination instanceof FolderDicomStore ? path.join(destination.root, OPERATION_DIR_NAME) : OPERATION_DIR_NAME));
        const { record, exitStatus } = await runOperation({
          command: 'dicom-store',
          source: identity(source),
          destination: identity(destination),
          operationDir,
          pairs: [],
          dicomPairs: [{ name: 'default', source, destination, ...(filter ? { filter } : {}) }],
          dicomExtension: extension,
          config,
          key,
          ...(filter ? { reader: { resources: filter } } : {}),
          ...(opts.resume ? { resume: opts.resume } : {}),
          ...(opts.errors ? { errorsFile: opts.errors } : {}),
          onStart: (id: string) => {
            if (!opts.quiet) process.stderr.write(`deid dicom-store: operation ${id} (record in ${operationDir})\n`);
          },
          onCancel: () => stop.abort(),
        });
        if (opts.report) await writeReport(opts.report, record as unknown as Record<string, unknown>);
        if (!opts.quiet) process.stderr.write(operationSummary('dicom-store', record) + '\n');
        setStatus(exitStatus);
      } finally {
        await Promise.allSettled([source.close(), destination.close()]);
      }
    });
}

function identity(s: DicomStore): string {
  return s instanceof FolderDicomStore ? path.resolve(s.root) : s.uri;
}

function isInside(p: string, folder: string): boolean {
  const rel = path.relative(folder, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
