import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, parseNdjson, sharedData, KEY_B } from '../helpers/run-cli.js';
import { patientIdentifiers, findLeaks } from '../helpers/leak-check.js';
import { datesOf, dayOf, patientOf, resolvingCount, resourcesOf } from '../helpers/fhir-facts.js';

type Json = Record<string, unknown>;
const fhir = path.join(sharedData, 'fhir-samples');

interface InputRecord {
  file: string;
  line?: number;
  value: Json | undefined;
}

/** Input records in the order deid reads them (folder files sorted by name). */
function readInputs(inputs: string[]): InputRecord[] {
  const out: InputRecord[] = [];
  for (const given of inputs) {
    const files = fs.statSync(given).isDirectory()
      ? fs.readdirSync(given).filter((f) => f.endsWith('.ndjson')).sort().map((f) => path.join(given, f))
      : [given];
    for (const file of files) {
      if (file.endsWith('.ndjson')) {
        fs.readFileSync(file, 'utf8').split('\n').forEach((l, i) => {
          if (!l.trim()) return;
          let value: Json | undefined;
          try {
            value = JSON.parse(l);
          } catch {
            value = undefined;
          }
          out.push({ file, line: i + 1, value });
        });
      } else out.push({ file, value: JSON.parse(fs.readFileSync(file, 'utf8')) });
    }
  }
  return out;
}

const datasets: [string, string[]][] = [
  ['bulk-smart-10-patients', [path.join(fhir, 'bulk-smart-10-patients')]],
  ['bulk-synthea-30-patients', [path.join(fhir, 'bulk-synthea-30-patients')]],
  ['synthea-transaction-bundles', fs.readdirSync(path.join(fhir, 'synthea-transaction-bundles')).sort().map((f) => path.join(fhir, 'synthea-transaction-bundles', f))],
  ['hl7-r4-examples', ['bundles', 'resources'].flatMap((d) => fs.readdirSync(path.join(fhir, 'hl7-r4-examples', d)).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(fhir, 'hl7-r4-examples', d, f)))],
];

for (const [name, inputs] of datasets) {
  t.test(name, async (t) => {
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-proof-'));
    const errorsFile = path.join(dir, 'errors.ndjson');
    const reportFile = path.join(dir, 'report.json');
    const run = await runCli(['fhir', ...inputs, '--errors', errorsFile, '--report', reportFile]);
    t.ok(run.code === 0 || run.code === 3, `exit status ${run.code}`);
    const output = parseNdjson(run.stdout);
    const errors = fs.existsSync(errorsFile) ? parseNdjson(fs.readFileSync(errorsFile)) : [];
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { records: { in: number; out: number; failed: number } };
    const input = readInputs(inputs);

    t.test('every input record is in the output or in the error log', async (t) => {
      t.equal(report.records.in, report.records.out + report.records.failed, 'report reconciles');
      const recordErrors = errors.filter((e) => e.entry === undefined);
      t.equal(output.length + recordErrors.length, input.length, 'output lines + record errors = input records');
      for (const e of errors) {
        t.type(e.code, 'string');
        t.type(e.file, 'string');
        t.notOk('resource' in e || 'value' in e, 'no record content in the error log');
      }
      t.equal(run.code, errors.length ? 3 : 0, 'exit status says whether records failed');
    });

    const failedAt = new Set(errors.map((e) => `${String(e.file)}:${String(e.line ?? '')}`));
    const kept = input.filter((r) => !failedAt.has(`${r.file}:${r.line ?? ''}`));
    const inputRes = kept.map((r) => r.value!).filter(Boolean);

    t.test('no direct identifier of any input Patient is left', async (t) => {
      const ids = patientIdentifiers(resourcesOf(input.map((r) => r.value!).filter(Boolean)));
      t.ok(ids.length > 0, `${ids.length} identifiers collected`);
      const leaks = findLeaks(ids, output);
      t.same(leaks.slice(0, 10).map((l) => `${l.kind} at ${l.where}`), [], `${leaks.length} leaks`);
    });

    t.test('references that resolved still resolve', async (t) => {
      t.equal(resolvingCount(output), resolvingCount(inputRes));
    });

    t.test("intervals between a patient's dates are preserved", async (t) => {
      t.equal(output.length, kept.length);
      const shifts = new Map<string, Set<number>>();
      let compared = 0;
      for (let i = 0; i < kept.length; i++) {
        const pairs = [...resourcesOf([inputRes[i]!])].map((r, j) => [r, [...resourcesOf([output[i]!])][j], j] as const);
        for (const [a, b, j] of pairs) {
          if (!b) continue;
          const who = patientOf(a) ?? `${String(a.resourceType)}/${String(a.id)}#${i}.${j}`;
          const after = new Map(datesOf(b));
          for (const [p, v] of datesOf(a)) {
            const w = after.get(p);
            if (!w || !/^\d{4}-\d{2}-\d{2}/.test(w)) continue;
            const s = shifts.get(who) ?? new Set();
            s.add(dayOf(w) - dayOf(v));
            shifts.set(who, s);
            compared++;
          }
        }
      }
      t.ok(compared > 0, `${compared} dates compared`);
      const bad = [...shifts].filter(([, s]) => s.size !== 1 || s.has(0) || [...s].some((d) => Math.abs(d) > 100));
      t.same(bad.map(([p, s]) => `${p}: ${[...s].join(',')}`).slice(0, 5), [], 'one non-zero shift within ±100 per patient');
    });

    t.test('deterministic for a key, different for another', async (t) => {
      const again = await runCli(['fhir', ...inputs, '-q']);
      t.ok(again.stdout.equals(run.stdout), 'byte-identical with the same key');
      const other = await runCli(['fhir', ...inputs, '-q'], { key: KEY_B });
      t.notOk(other.stdout.equals(run.stdout), 'different with another key');
    });
  });
}
