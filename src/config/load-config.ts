import path from 'node:path';
import YAML from 'yaml';
import { readBoundedText } from '../core/read-bounded-text.js';
import { DeidError, ErrorCodes } from '../core/errors.js';
import type { DeidConfig } from './model.js';
import type { TextDeidConfig } from '../text/types.js';
import { deidentifyConfig, textConfig } from './schema.js';
import { guardConfigInput } from './input-guard.js';
import { firstDuplicateKey } from './json-duplicate-key.js';
import { configDigest } from './digest.js';
import { issuesToError } from './zod-issues.js';
import { compileRules } from './fhir-path-match.js';
import { normalizeFhir } from './normalize-fhir.js';
import { normalizeDicom } from './normalize-dicom.js';
import { checkTextConflicts } from './text-conflicts.js';
import { normalizeTextConfig } from '../text/config.js';

/** Config files larger than this are refused before reading. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/**
 * Keys of Google's de-identify request bodies (datasets / fhirStores /
 * dicomStores .deidentify) that may sit next to `config`. They address
 * Google resources and have no meaning here; they are ignored.
 */
const REQUEST_KEYS = new Set([
  'destinationDataset',
  'destinationStore',
  'resourceFilter',
  'filterConfig',
  'skipModifiedResources',
]);

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * A request body `{ "config": {...}, "destinationDataset": … }` → its config,
 * with the path prefix errors must carry. Anything else is the config itself.
 */
function unwrap(obj: Record<string, unknown>): { config: unknown; prefix: string } {
  if (!Object.prototype.hasOwnProperty.call(obj, 'config')) {
    if (Object.prototype.hasOwnProperty.call(obj, 'gcsConfigUri')) {
      throw new DeidError('CONFIG_INVALID', 'gcsConfigUri: configs are read from local files; put the config itself in the file');
    }
    return { config: obj, prefix: '' };
  }
  for (const key of Object.keys(obj)) {
    if (key === 'config') continue;
    if (key === 'gcsConfigUri') {
      throw new DeidError('CONFIG_INVALID', 'gcsConfigUri: only one of config and gcsConfigUri can be set');
    }
    if (!REQUEST_KEYS.has(key)) {
      throw new DeidError('CONFIG_INVALID', `${key}: unknown key next to config in a de-identify request body`);
    }
  }
  return { config: obj.config, prefix: 'config' };
}

/**
 * Validates and normalizes a Google DeidentifyConfig (v1 or v1beta1, bare or
 * wrapped as a request body `{ config }`). `source` names the origin in error
 * messages. Throws DeidError('CONFIG_INVALID') naming the offending path.
 */
export function parseConfig(obj: unknown, source = 'config'): DeidConfig {
  if (!isPlainObject(obj)) throw new DeidError('CONFIG_INVALID', `${source}: must be a JSON object`);
  withSource(source, () => guardConfigInput(obj));
  const { config, prefix } = withSource(source, () => unwrap(obj));
  const at = (p: string): string => (prefix ? `${prefix}.${p}` : p);
  if (!isPlainObject(config)) throw new DeidError('CONFIG_INVALID', `${source}: ${prefix || '(root)'}: must be an object`);

  const parsed = deidentifyConfig.safeParse(config, { reportInput: true });
  if (!parsed.success) throw issuesToError(parsed.error.issues, source, prefix);
  const c = parsed.data;

  const fhir = normalizeFhir(c);
  const rulesAt = c.fhir ? at('fhir.fieldMetadataList') : at('fhirFieldConfig.fieldMetadataList');
  withSource(source, () => checkTextConflicts(c.text, at('text')));
  const text = withSource(source, () => normalizeTextConfig(c.text));
  withSource(source, () => compileRules(fhir.rules, rulesAt));

  const out: DeidConfig = { fhir, text, digest: configDigest(config) };
  const dicom = normalizeDicom(c);
  if (dicom) out.dicom = dicom;
  return out;
}

function withSource<T>(source: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DeidError && e.code === 'CONFIG_INVALID') {
      throw new DeidError('CONFIG_INVALID', `${source}: ${e.message.slice(ErrorCodes.CONFIG_INVALID.length + 2)}`);
    }
    throw e;
  }
}

/** 1-based line and column of a UTF-16 offset. */
function lineCol(text: string, offset: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return `line ${line}, column ${col}`;
}

export type ConfigFormat = 'json' | 'yaml';

/** By extension; otherwise JSON if the text starts with `{`, else YAML. */
export function detectFormat(text: string, file?: string): ConfigFormat {
  const ext = file ? path.extname(file).toLowerCase() : '';
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return /^\s*\{/.test(text) ? 'json' : 'yaml';
}

/**
 * Parses config text (JSON or YAML). Parser messages are not passed on (a
 * JSON.parse message quotes the input); only the position is.
 */
export function parseConfigText(text: string, source = 'config', format?: ConfigFormat): DeidConfig {
  return parseConfig(configValueOfText(text, source, format), source);
}

/** The JSON value of config text (JSON or YAML), before validation. */
function configValueOfText(text: string, source: string, format?: ConfigFormat): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const fmt = format ?? detectFormat(body, source);
  let obj: unknown;
  if (fmt === 'json') {
    try {
      obj = JSON.parse(body);
    } catch (e) {
      const pos = /position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
      const where = pos !== undefined ? ` at ${lineCol(body, Number(pos))}` : '';
      throw new DeidError('CONFIG_INVALID', `${source}: not valid JSON${where}`);
    }
    const dup = firstDuplicateKey(body);
    if (dup !== undefined) throw new DeidError('CONFIG_INVALID', `${source}: duplicate key at ${lineCol(body, dup)}`);
  } else {
    let doc: YAML.Document.Parsed;
    try {
      doc = YAML.parseDocument(body, { uniqueKeys: true, prettyErrors: true });
    } catch {
      throw new DeidError('CONFIG_INVALID', `${source}: not valid YAML`);
    }
    const err = doc.errors[0];
    if (err) {
      const lp = err.linePos?.[0];
      const where = lp ? ` at line ${lp.line}, column ${lp.col}` : '';
      const why = err.code === 'DUPLICATE_KEY' ? 'duplicate key' : 'not valid YAML';
      throw new DeidError('CONFIG_INVALID', `${source}: ${why}${where}`);
    }
    if (doc.contents === null) throw new DeidError('CONFIG_INVALID', `${source}: is empty`);
    try {
      obj = doc.toJS({ maxAliasCount: 100 });
    } catch {
      throw new DeidError('CONFIG_INVALID', `${source}: YAML cannot be turned into JSON values (aliases or nesting)`);
    }
  }
  return obj;
}

/**
 * A Google TextConfig on its own (`deid text -c`), validated as the `text`
 * member of a DeidentifyConfig is: the same schema, limits and conflict
 * check, error paths without the `text.` prefix.
 */
export function parseTextConfig(obj: unknown, source = 'config'): TextDeidConfig {
  if (!isPlainObject(obj)) throw new DeidError('CONFIG_INVALID', `${source}: must be a JSON object`);
  withSource(source, () => guardConfigInput(obj));
  const parsed = textConfig.safeParse(obj, { reportInput: true });
  if (!parsed.success) throw issuesToError(parsed.error.issues, source, '');
  withSource(source, () => checkTextConflicts(parsed.data, ''));
  return withSource(source, () => normalizeTextConfig(parsed.data));
}

/** Reads, validates and normalizes a config file (JSON or YAML). */
export function loadConfigFile(file: string): DeidConfig {
  return parseConfig(readConfigFile(file), file);
}

/** The JSON value of a config file (JSON or YAML; size, encoding and syntax checked), before validation. */
export function readConfigFile(file: string): unknown {
  return configValueOfText(readBoundedText(file, MAX_CONFIG_BYTES), file);
}

export { DEFAULT_CONFIG } from './default-config.js';
