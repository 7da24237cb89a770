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
  for (const p of paths) removeNow(p);
  paths.clear();
  detach();
  process.kill(process.pid, signal);
}

/**
 * Worker threads may still be creating files in a folder being removed: it is
 * moved away first, so that their new files fail instead of landing in it
 * (a removal racing them failed with ENOTEMPTY and left the folder).
 */
function removeNow(p: string): void {
  let target = p;
  try {
    const moved = `${p}.${process.pid}.removed`;
    fs.renameSync(p, moved);
    target = moved;
  } catch {
    // not there, or it cannot be moved: removed where it is
  }
  try {
    fs.rmSync(target, { recursive: true, force: true, maxRetries: 3, retryDelay: 10 });
  } catch {
    // what could not be removed stays; the process still ends as the signal says
  }
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
