import fs from 'node:fs';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const paths = new Set<string>();

/**
 * The signals that end a run by default would leave temporary files behind,
 * among them copies of stdin, which hold the input's PHI. While a path is
 * registered, these signals remove every registered path first, then end
 * the process as the signal would have (the same status).
 */
function onSignal(signal: NodeJS.Signals): void {
  for (const p of paths) fs.rmSync(p, { recursive: true, force: true });
  paths.clear();
  detach();
  process.kill(process.pid, signal);
}

function attach(): void {
  for (const s of SIGNALS) process.on(s, onSignal);
}

function detach(): void {
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

/** Registers a file or folder to remove if the process is stopped by a signal; the returned function unregisters it. */
export function removeOnSignal(p: string): () => void {
  paths.add(p);
  if (paths.size === 1) attach();
  return () => {
    if (paths.delete(p) && paths.size === 0) detach();
  };
}
