import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Shared read-only data, next to the repository (see BRIEF: ../shared/data). */
export const TEXT_PHI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data/text-phi');

export interface GoldSpan {
  start: number;
  end: number;
  type: string;
}

export interface Doc {
  id: string;
  /** Grouping key for splits (PhysioNet patient id). */
  group: string;
  text: string;
  gold: GoldSpan[];
}

/**
 * PhysioNet deid gold corpus: id.text records (START_OF_RECORD=pid||||note||||
 * … ||||END_OF_RECORD), spans from id-phi.phrase (0-based offsets into the
 * record text, which begins after the START line's newline; end exclusive).
 */
export function loadPhysionet(dir = path.join(TEXT_PHI_DIR, 'physionet-deid')): Doc[] {
  const raw = readFileSync(path.join(dir, 'id.text'), 'utf8');
  const docs = new Map<string, Doc>();
  const re = /START_OF_RECORD=(\d+)\|\|\|\|(\d+)\|\|\|\|\n([\s\S]*?)\|\|\|\|END_OF_RECORD/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw)) !== null) {
    const id = `${m[1]}-${m[2]}`;
    docs.set(id, { id, group: m[1]!, text: m[3]!, gold: [] });
  }
  for (const line of readFileSync(path.join(dir, 'id-phi.phrase'), 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f.length < 5) continue;
    const doc = docs.get(`${f[0]}-${f[1]}`);
    if (!doc) throw new Error(`gold span for unknown note ${f[0]}-${f[1]}`);
    doc.gold.push({ start: Number(f[2]), end: Number(f[3]), type: f[4]! });
  }
  return [...docs.values()];
}

/** Patient names of the PhysioNet corpus (lists/pid_patientname.txt): the record's own structured values. */
export function physionetPatientNames(dir = path.join(TEXT_PHI_DIR, 'physionet-deid')): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of readFileSync(path.join(dir, 'lists', 'pid_patientname.txt'), 'utf8').split('\n')) {
    const f = line.trim().split('||||');
    if (f.length >= 3) out.set(f[0]!, f.slice(1).filter((s) => s.length > 0));
  }
  return out;
}

export function physionetList(name: string, dir = path.join(TEXT_PHI_DIR, 'physionet-deid')): string[] {
  return readFileSync(path.join(dir, 'lists', name), 'utf8')
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Deterministic split by patient: odd patient ids are the development half, even ids the test half. */
export function splitByPatient(docs: Doc[]): { dev: Doc[]; test: Doc[] } {
  return {
    dev: docs.filter((d) => Number(d.group) % 2 === 1),
    test: docs.filter((d) => Number(d.group) % 2 === 0),
  };
}

/**
 * The development half split again by patient, for rules that must generalise:
 * part A (patient id ≡ 1 mod 4) is read to design rules, part B (id ≡ 3 mod 4)
 * only scored to accept or reject them. Deterministic; both parts are odd ids.
 */
export function splitDev(dev: Doc[]): { A: Doc[]; B: Doc[] } {
  return {
    A: dev.filter((d) => Number(d.group) % 4 === 1),
    B: dev.filter((d) => Number(d.group) % 4 === 3),
  };
}

/** Presidio-research synth_dataset_v2.json. TITLE and NRP are left out: they are not PHI in HIPAA or Google's infoTypes. */
export const PRESIDIO_IGNORED = new Set(['TITLE', 'NRP']);

export function loadPresidio(file = path.join(TEXT_PHI_DIR, 'presidio-research', 'synth_dataset_v2.json')): Doc[] {
  const data = JSON.parse(readFileSync(file, 'utf8')) as {
    full_text: string;
    spans: { entity_type: string; start_position: number; end_position: number }[];
  }[];
  return data.map((s, i) => ({
    id: String(i),
    group: String(i),
    text: s.full_text,
    gold: s.spans
      .filter((sp) => !PRESIDIO_IGNORED.has(sp.entity_type))
      .map((sp) => ({ start: sp.start_position, end: sp.end_position, type: sp.entity_type })),
  }));
}

/** MEDDOCAN test split, BRAT standoff; decoded with the BOM kept (offsets count it). */
export function loadMeddocan(dir = path.join(TEXT_PHI_DIR, 'meddocan-test-brat')): Doc[] {
  const docs: Doc[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
    const id = f.slice(0, -4);
    const text = readFileSync(path.join(dir, f)).toString('utf8');
    const gold: GoldSpan[] = [];
    for (const line of readFileSync(path.join(dir, `${id}.ann`)).toString('utf8').split('\n')) {
      const m = /^T\d+\t(\S+) (\d+) (\d+)\t/.exec(line);
      if (m) gold.push({ type: m[1]!, start: Number(m[2]), end: Number(m[3]) });
    }
    docs.push({ id, group: id, text, gold });
  }
  return docs;
}
