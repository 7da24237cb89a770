import fs from 'node:fs';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const paths = new Set<string>();
/** Runs that handle SIGINT and SIGTERM themselves (see signalsHandledElsewhere). */
let owners = 0;

/**
 * The signals that end a run by default would leave temporary files behind,
 * among them copies of stdin, which hold the input's PHI. While a path is
 * registered, these signals remove every registered path first, then end
 * the process as the signal would have (the same status).
 */
function onSignal(signal: NodeJS.Signals): void {
  // a run that stops gracefully removes its files on the way out (and at exit, below)
  if (owners > 0 && signal !== 'SIGHUP') return;
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

/** What is still registered when the process exits normally goes too. */
function onExit(): void {
  for (const p of paths) removeNow(p);
  paths.clear();
}

function attach(): void {
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', onExit);
}

function detach(): void {
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.removeListener('exit', onExit);
}

/**
 * Declares that SIGINT and SIGTERM are handled by the caller, which stops
 * gracefully (a store operation saves its checkpoint, lets in-flight writes
 * finish, releases its lock and connections, then exits 130/143) and removes
 * its registered files on the way out: until the returned function is
 * called, those signals neither remove them at once (the run may still be
 * using them) nor end the process. SIGHUP keeps its default handling.
 */
export function signalsHandledElsewhere(): () => void {
  owners++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    owners--;
  };
}

/** Registers a file or folder to remove if the process is stopped by a signal; the returned function unregisters it. */
export function removeOnSignal(p: string): () => void {
  paths.add(p);
  if (paths.size === 1) attach();
  return () => {
    if (paths.delete(p) && paths.size === 0) detach();
  };
}
