import fs from 'node:fs';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import type { Failed } from '../core/record.js';
import { BulkFolderWriter } from '../sinks/bulk-folder-writer.js';
import { openResolvedInputs, resolveInputs } from '../sources/open-inputs.js';
import { FilterResources } from './filter-resources.js';
import type { FhirStore, StoreReaderOptions, StoreWriter, StoreWriterOptions } from './types.js';

export interface FileStoreWriterOptions extends StoreWriterOptions {
  /** Manifest transactionTime, for byte-identical output. */
  transactionTime?: string;
}

/** BulkFolderWriter with the store writer's counters (written = lines written). */
class FileStoreWriter extends BulkFolderWriter {
  failedCount = 0;
  get written(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
}

/**
 * A folder in the bulk export layout (`Type.ndjson` + manifest.json). It
 * keeps no per-resource modification time: skipModifiedAfter looks at
 * meta.lastUpdated, and a resource without one is kept.
 */
export class FileFhirStore implements FhirStore {
  readonly kind = 'file' as const;

  constructor(readonly uri: string, readonly dir: string) {}

  reader(opts: StoreReaderOptions = {}): Readable {
    const out = new PassThrough({ objectMode: true, highWaterMark: 64 });
    resolveInputs([this.dir]).then(
      (resolved) => {
        const src = openResolvedInputs(resolved);
        if (!opts.resources && !opts.skipModifiedAfter && !opts.types) {
          pipeline(src, out, () => undefined);
          return;
        }
        const filter = new FilterResources({ ...opts, storeUri: this.uri });
        pipeline(src, filter, out, () => undefined);
      },
      (e: Error) => out.destroy(e),
    );
    return out;
  }

  writer(opts: FileStoreWriterOptions = {}): StoreWriter {
    const onFailed = opts.onFailed ?? (() => undefined);
    const w: FileStoreWriter = new FileStoreWriter({
      dir: this.dir,
      overwrite: opts.overwrite ?? false,
      ...(opts.transactionTime ? { transactionTime: opts.transactionTime } : {}),
      request: 'deid store',
      onFailed: (f: Failed) => {
        w.failedCount++;
        onFailed(f);
      },
    });
    return w;
  }

  async ensure(): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
  }

  async close(): Promise<void> {}
}
