import { parentPort, workerData } from 'node:worker_threads';
import { toDeidError } from '../core/errors.js';
import { instanceSetup, Scratch, writeInstance, type DicomSettings } from './dicom-instance.js';
import type { WorkerMessage } from './dicom-pool.js';

/** A worker of dicom-pool.ts: takes the next input from the shared counter until there is none. */
interface PoolData {
  files: [string, string][];
  tempDir: string;
  settings: DicomSettings;
  counter: Int32Array;
}

const { files, tempDir, settings, counter } = workerData as PoolData;
const post = (m: WorkerMessage): void => parentPort!.postMessage(m);
try {
  const setup = instanceSetup(settings);
  const scratch = new Scratch();
  for (;;) {
    const i = Atomics.add(counter, 0, 1);
    if (i >= files.length) break;
    const [file, src] = files[i]!;
    post({ i, r: await writeInstance(file, src, tempDir, setup, scratch) });
  }
} catch (e) {
  post({ error: toDeidError(e).code });
}
post({ done: true });
