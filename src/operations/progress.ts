import cliProgress from 'cli-progress';

export interface Progress {
  /** Records settled so far; `unitsDone` of `unitsTotal` when the units are known in advance. */
  update(records: number, unitsDone: number, unitsTotal?: number): void;
  stop(): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A progress bar on stderr, only when stderr is a terminal: records done,
 * records/s and, when the number of units is known, percent and ETA by
 * units. Nothing at all otherwise (pipes, files, CI logs).
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return NONE;
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{bar} {percentage}% | {records} records | {rate}/s | units {value}/{total} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let begun = false;
  return {
    update(records, unitsDone, unitsTotal) {
      const secs = Math.max(0.001, (Date.now() - started) / 1000);
      const payload = { records, rate: Math.round(records / secs) };
      if (!begun) {
        bar.start(unitsTotal ?? 0, unitsDone, payload);
        begun = true;
      }
      if (unitsTotal !== undefined) bar.setTotal(unitsTotal);
      bar.update(unitsDone, payload);
    },
    stop() {
      if (begun) bar.stop();
    },
  };
}
