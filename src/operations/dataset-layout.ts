import fs from 'node:fs';
import path from 'node:path';

export interface DatasetStore {
  /** `default` for data directly in `fhir/` or `dicom/`, else the sub-folder's name. */
  name: string;
  dir: string;
}

export interface DatasetLayout {
  fhir: DatasetStore[];
  dicom: DatasetStore[];
}

const FHIR_DATA = /\.(ndjson|jsonl|json)(\.gz)?$/i;

/**
 * The stores of a dataset folder: `fhir/<store>/` and `dicom/<store>/`. A
 * `fhir/` holding data files (or a manifest) itself is one store named
 * `default`; so is a `dicom/` holding any file itself. Hidden entries are
 * ignored.
 */
export function datasetLayout(root: string): DatasetLayout {
  return { fhir: stores(path.join(root, 'fhir'), (n) => FHIR_DATA.test(n)), dicom: stores(path.join(root, 'dicom'), () => true) };
}

function stores(dir: string, isData: (name: string) => boolean): DatasetStore[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const visible = entries.filter((e) => !e.name.startsWith('.'));
  if (visible.some((e) => e.isFile() && isData(e.name))) return [{ name: 'default', dir }];
  return visible
    .filter((e) => e.isDirectory())
    .map((e) => ({ name: e.name, dir: path.join(dir, e.name) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
