import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DeidError } from '../core/errors.js';
import { readBoundedText } from '../core/read-bounded-text.js';
import { isStage, STAGES } from '../transforms/registry.js';

/**
 * A declarative pipeline (pipelines/*.yaml):
 *
 *   name: fhir-basic
 *   input: [data/samples/fhir]        # files, folders or '-'
 *   output: out/pipelines/fhir-basic  # '-' or a folder
 *   config: data/configs/basic.json   # optional Google DeidentifyConfig
 *   stages: [fhir-deidentify]         # names from src/transforms/registry.ts
 *   errors: out/…/errors.ndjson       # optional
 *   report: out/…/report.json         # optional
 *   unbundle: false
 *
 * Relative paths are resolved from the pipeline file's folder's parent when
 * the file is in a `pipelines/` folder (the repository root), else from the
 * file's folder.
 */
const schema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  input: z.union([z.string(), z.array(z.string()).min(1)]),
  output: z.string().default('-'),
  config: z.string().optional(),
  stages: z.array(z.string().refine(isStage, { message: `unknown stage (known: ${Object.keys(STAGES).join(', ')})` })).min(1),
  errors: z.string().optional(),
  report: z.string().optional(),
  unbundle: z.boolean().default(false),
});

export type PipelineFile = z.infer<typeof schema> & { inputs: string[] };

/** A pipeline names a few paths and stages: a file longer than this is no pipeline. */
export const MAX_PIPELINE_BYTES = 1024 * 1024;

export function loadPipelineFile(file: string): PipelineFile {
  const text = readBoundedText(file, MAX_PIPELINE_BYTES);
  let raw: unknown;
  try {
    // logLevel error: a YAML warning would print the offending line of the file on stderr
    raw = parseYaml(text, { logLevel: 'error', maxAliasCount: 100 });
  } catch {
    throw new DeidError('CONFIG_INVALID', `${file}: not readable YAML`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new DeidError('CONFIG_INVALID', `${file}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  const dir = path.dirname(path.resolve(file));
  const base = path.basename(dir) === 'pipelines' ? path.dirname(dir) : dir;
  const at = (p: string) => (p === '-' ? p : path.resolve(base, p));
  const p = r.data;
  return {
    ...p,
    inputs: (Array.isArray(p.input) ? p.input : [p.input]).map(at),
    output: at(p.output),
    ...(p.config ? { config: at(p.config) } : {}),
    ...(p.errors ? { errors: at(p.errors) } : {}),
    ...(p.report ? { report: at(p.report) } : {}),
  };
}
