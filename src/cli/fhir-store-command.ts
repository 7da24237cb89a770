import path from 'node:path';
import type { Command } from 'commander';
import { DeidError } from '../core/errors.js';
import { operationSummary, parseInstant, resourceList } from '../operations/cli-support.js';
import { OPERATION_DIR_NAME } from '../operations/operation-file.js';
import { runOperation } from '../operations/run-operation.js';
import { writeReport } from '../pipeline/write-report.js';
import { openFhirStore } from '../stores/open-fhir-store.js';
import { FileFhirStore } from '../stores/file-store.js';
import type { FhirStore, StoreReaderOptions } from '../stores/types.js';
import fs from 'node:fs';
import { loadRunConfig, loadRunKey } from './run-options.js';
import { parseRequestOptions, refuseHeadersFor, storeAccess, warnPasswordInUri, type StoreAccessCliOptions } from './store-access.js';

interface FhirStoreCliOptions extends StoreAccessCliOptions {
  config?: string;
  keyFile?: string;
  resources?: string;
  resourcesFile?: string;
  skipModifiedAfter?: string;
  operationDir?: string;
  resume?: string;
  errors?: string;
  report?: string;
  quiet?: boolean;
}

export function registerFhirStoreCommand(program: Command, setStatus: (s: number) => void): void {
  program
    .command('fhir-store')
    .description('De-identify a FHIR store (folder, postgres://…, http(s)://…/fhir) into another, as a resumable operation')
    .argument('<source>', 'source store: a bulk folder, postgres://host/db?table=…, or a FHIR base URL')
    .argument('<destination>', 'destination store (created when it does not exist)')
    .option('-c, --config <file>', 'Google DeidentifyConfig (JSON or YAML); default: the BASIC profile')
    .option('--key-file <file>', 'key: ≥32 bytes as hex, base64 or raw (else $DEID_KEY, else a random key)')
    .option('--resources <list>', 'only these resources: Type/id,Type/id,…')
    .option('--resources-file <file>', 'only the resources listed in this file, one Type/id a line')
    .option('--skip-modified-after <time>', 'leave out resources last modified after this instant')
    .option('--operation-dir <dir>', `where the operation record goes (default: <destination folder>/${OPERATION_DIR_NAME}, else ./${OPERATION_DIR_NAME})`)
    .option('--resume <id>', 'continue an unfinished operation')
    .option('--errors <file>', 'error log (default: beside the operation record; --resume keeps the first and refuses another)')
    .option('--report <file>', 'write the final operation record here too')
    .option('--source-headers <file>', 'headers for an http(s) source, one "Name: value" a line (e.g. Authorization: Bearer …); else $DEID_SOURCE_AUTHORIZATION')
    .option('--destination-headers <file>', 'headers for an http(s) destination, as --source-headers; else $DEID_DESTINATION_AUTHORIZATION')
    .option('--timeout <seconds>', 'per-request timeout of the http(s) stores (default 60)')
    .option('--retries <n>', 'retries of a request that failed for a transient reason (connection, timeout, 408, 429, 5xx; default 3)')
    .option('-q, --quiet', 'no summary line on stderr')
    .action(async (src: string, dst: string, opts: FhirStoreCliOptions) => {
      const request = parseRequestOptions(opts);
      warnPasswordInUri('source', src);
      warnPasswordInUri('destination', dst);
      const config = await loadRunConfig(opts.config);
      const key = loadRunKey(opts.keyFile);
      const resources = resourceList(opts.resources, opts.resourcesFile);
      const skipModifiedAfter = parseInstant(opts.skipModifiedAfter);
      const source = await openFhirStore(src, { rest: storeAccess('source', opts.sourceHeaders, request) });
      const destination = await openFhirStore(dst, { rest: storeAccess('destination', opts.destinationHeaders, request) });
      try {
        refuseHeadersFor('source', opts.sourceHeaders, source.kind === 'rest');
        refuseHeadersFor('destination', opts.destinationHeaders, destination.kind === 'rest');
        if (source.uri === destination.uri || (source instanceof FileFhirStore && destination instanceof FileFhirStore && path.resolve(source.dir) === path.resolve(destination.dir))) {
          throw new DeidError('USAGE', 'source and destination are the same store; the source is never modified');
        }
        if (source instanceof FileFhirStore && !isDir(source.dir)) throw new DeidError('INPUT_NOT_FOUND', src, { file: src });
        const operationDir = path.resolve(opts.operationDir ?? (destination instanceof FileFhirStore ? path.join(destination.dir, OPERATION_DIR_NAME) : OPERATION_DIR_NAME));
        const reader: StoreReaderOptions = {};
        if (resources) reader.resources = resources;
        if (skipModifiedAfter) reader.skipModifiedAfter = skipModifiedAfter;
        const { record, exitStatus } = await runOperation({
          command: 'fhir-store',
          source: identity(source),
          destination: identity(destination),
          operationDir,
          pairs: [{ name: 'default', source, destination }],
          config,
          key,
          reader,
          ...(opts.resume ? { resume: opts.resume } : {}),
          ...(opts.errors ? { errorsFile: opts.errors } : {}),
          onStart: (id: string) => {
            if (!opts.quiet) process.stderr.write(`deid fhir-store: operation ${id} (record in ${operationDir})\n`);
          },
        });
        if (opts.report) await writeReport(opts.report, record as unknown as Record<string, unknown>);
        if (!opts.quiet) process.stderr.write(operationSummary('fhir-store', record) + '\n');
        setStatus(exitStatus);
      } finally {
        await Promise.allSettled([source.close(), destination.close()]);
      }
    });
}

/** What the record names a store by: a folder's absolute path (a resume may come from another cwd), else its URI. */
function identity(s: FhirStore): string {
  return s instanceof FileFhirStore ? s.dir : s.uri;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
