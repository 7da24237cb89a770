import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DeidError } from '../core/errors.js';
import { operationSummary } from '../operations/cli-support.js';
import { configParts } from '../operations/config-parts.js';
import { datasetLayout } from '../operations/dataset-layout.js';
import { OPERATION_DIR_NAME } from '../operations/operation-file.js';
import { runOperation, type FhirPair } from '../operations/run-operation.js';
import { checkDicomSettings } from '../pipeline/dicom-instance.js';
import { writeReport } from '../pipeline/write-report.js';
import { FileFhirStore } from '../stores/file-store.js';
import { loadRunConfig, loadRunKey } from './run-options.js';
import { loadDicomConfigFile } from '../dicom/profile/config-extension.js';
import type { DicomExtension } from '../dicom/profile/plan.js';
import { openDicomStore } from '../stores/dicom/open-dicom-store.js';
import type { DicomPair } from '../operations/dicom-pair.js';
import { buildPatientResolver } from '../operations/patient-resolver.js';

interface DatasetCliOptions {
  config?: string;
  keyFile?: string;
  resume?: string;
  errors?: string;
  report?: string;
  quiet?: boolean;
}

export function registerDatasetCommand(program: Command, setStatus: (s: number) => void): void {
  program
    .command('dataset')
    .description('De-identify a dataset folder (fhir/<store>/, dicom/<store>/) into a new dataset')
    .argument('<source>', 'dataset folder')
    .argument('<destination>', 'new dataset folder (must not exist)')
    .option('-c, --config <file>', 'Google DeidentifyConfig; a store type whose part is absent is left out')
    .option('--key-file <file>', 'key: ≥32 bytes as hex, base64 or raw (else $DEID_KEY, else a random key)')
    .option('--resume <id>', `continue an unfinished operation (its record is in <destination>/${OPERATION_DIR_NAME})`)
    .option('--errors <file>', 'error log (default: beside the operation record; --resume keeps the first and refuses another)')
    .option('--report <file>', 'write the final operation record here too')
    .option('-q, --quiet', 'no summary line on stderr')
    .action(async (src: string, dst: string, opts: DatasetCliOptions) => {
      // deid's own DICOM settings (deid.dicom) may sit in the same file
      const { config, extension } = opts.config ? loadDicomConfigFile(opts.config) : { config: await loadRunConfig(undefined), extension: {} as DicomExtension };
      const parts = configParts(opts.config);
      checkDicomSettings(config, extension, opts.config);
      const key = loadRunKey(opts.keyFile);
      if (!isDir(src)) throw new DeidError('INPUT_NOT_FOUND', src, { file: src });
      const destRoot = path.resolve(dst);
      const srcRoot = path.resolve(src);
      if (destRoot === srcRoot || destRoot.startsWith(srcRoot + path.sep)) throw new DeidError('USAGE', 'the destination dataset cannot be inside the source');
      if (!opts.resume && fs.existsSync(destRoot)) throw new DeidError('OUTPUT_EXISTS', `${dst}: a dataset is de-identified into a new folder`);
      const layout = datasetLayout(srcRoot);
      const pairs: FhirPair[] = [];
      if (parts.fhir) {
        for (const s of layout.fhir) {
          const destDir = s.dir === path.join(srcRoot, 'fhir') ? path.join(destRoot, 'fhir') : path.join(destRoot, 'fhir', s.name);
          pairs.push({ name: `fhir/${s.name}`, source: new FileFhirStore(s.dir, s.dir), destination: new FileFhirStore(destDir, destDir) });
        }
      }
      const dicomPairs: DicomPair[] = [];
      if (parts.dicom) {
        for (const s of layout.dicom) {
          const destDir = s.dir === path.join(srcRoot, 'dicom') ? path.join(destRoot, 'dicom') : path.join(destRoot, 'dicom', s.name);
          dicomPairs.push({ name: `dicom/${s.name}`, source: openDicomStore(s.dir), destination: openDicomStore(destDir) });
        }
      }
      // the same patient gets the same date shift in FHIR and DICOM: DICOM patients are looked up in the FHIR stores
      const patientResolver = dicomPairs.length > 0 && layout.fhir.length > 0 ? await buildPatientResolver(layout.fhir.map((s) => new FileFhirStore(s.dir, s.dir))) : undefined;
      if (!opts.resume) fs.mkdirSync(destRoot, { recursive: true });
      const operationDir = path.join(destRoot, OPERATION_DIR_NAME);
      const run = runOperation({
        command: 'dataset',
        source: srcRoot,
        destination: destRoot,
        operationDir,
        pairs,
        dicomPairs,
        ...(patientResolver ? { patientResolver } : {}),
        dicomExtension: extension,
        config,
        key,
        ...(opts.resume ? { resume: opts.resume } : {}),
        ...(opts.errors ? { errorsFile: opts.errors } : {}),
        onStart: (id: string) => {
          if (!opts.quiet) process.stderr.write(`deid dataset: operation ${id} (record in ${operationDir})\n`);
        },
      });
      // a store may hold temporary files of its own (a folder's index of instances)
      const { record, exitStatus } = await run.finally(() => Promise.allSettled(dicomPairs.flatMap((p) => [p.source.close(), p.destination.close()])));
      if (opts.report) await writeReport(opts.report, record as unknown as Record<string, unknown>);
      if (!opts.quiet) process.stderr.write(operationSummary('dataset', record) + '\n');
      setStatus(exitStatus);
    });
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
