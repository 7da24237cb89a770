import { loadKey, type LoadedKey } from '../core/key.js';

/** The key of a run, with the stderr warning a random key deserves. */
export function loadRunKey(keyFile: string | undefined): LoadedKey {
  const key = loadKey(keyFile ? { keyFile } : {});
  if (key.source === 'random') {
    process.stderr.write('deid: warning: no --key-file or DEID_KEY; using a random key, so pseudonyms and date shifts will not link across runs\n');
  }
  return key;
}
