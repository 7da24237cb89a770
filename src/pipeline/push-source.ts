import { Readable } from 'node:stream';

/**
 * A Readable fed by an async producer: `put` resolves once the consumer wants
 * more, and to false when the stream was destroyed (the reader went away, the
 * writer failed), which tells the producer to stop.
 */
export class PushSource<T> extends Readable {
  #wake: (() => void) | undefined;

  constructor(objectMode: boolean) {
    super({ objectMode, highWaterMark: objectMode ? 4 : 256 * 1024 });
  }

  async put(chunk: T): Promise<boolean> {
    if (this.destroyed) return false;
    if (!this.push(chunk)) await new Promise<void>((resolve) => (this.#wake = resolve));
    return !this.destroyed;
  }

  override _read(): void {
    this.#resume();
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.#resume();
    cb(err);
  }

  #resume(): void {
    const w = this.#wake;
    this.#wake = undefined;
    w?.();
  }
}
