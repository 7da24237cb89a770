import type { DeidConfig } from '../config/model.js';
import { loadConfigFile } from '../config/load-config.js';
import { loadKey, type LoadedKey } from '../core/key.js';
import { deidDefaultConfig } from '../fhir/make-env.js';

/** The config of a run: a file, or the BASIC default. Throws CONFIG_INVALID before any output. */
export function loadRunConfig(file: string | undefined): DeidConfig {
  // With no config, deid's own BASIC: Google's BASIC plus contextual de-identification.
  return file ? loadConfigFile(file) : deidDefaultConfig();
}

/** The key of a run, with the stderr warning a random key deserves. */
export function loadRunKey(keyFile: string | undefined): LoadedKey {
  const key = loadKey(keyFile ? { keyFile } : {});
  if (key.source === 'random') {
    process.stderr.write('deid: warning: no --key-file or DEID_KEY; using a random key, so pseudonyms and date shifts will not link across runs\n');
  }
  return key;
}
