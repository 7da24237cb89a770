// Patients' context values past PatientContext's in-memory limit go to a
// private file: the same values come back for every patient (the hash index
// tells colliding ids apart by the id in the record), the file is the owner's
// only and is gone after close(), and a run whose context spills writes the
// bytes a run that keeps it in memory writes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { deidDefaultConfig } from '../../src/fhir/make-env.js';
import { PatientContext } from '../../src/fhir/patient.js';
import { SpilledContexts } from '../../src/fhir/spilled-contexts.js';
import { runFhir } from '../../src/pipeline/run-fhir.js';
import { KEY_A } from '../helpers/run-cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-spill-test-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

const valuesOf = (i: number) => [
  { value: `Family${i}`, infoType: 'LAST_NAME' },
  { value: `MRN-${i}-Ünï`, infoType: 'MEDICAL_RECORD_NUMBER' },
];

t.test('SpilledContexts: 30,000 patients read back, replaced values win, unknown ids are undefined', async (t) => {
  const s = new SpilledContexts(tmp);
  for (let i = 0; i < 30_000; i++) s.set(`p${i}`, valuesOf(i));
  s.set('p7', [{ value: 'Changed', infoType: 'LAST_NAME' }]);
  t.equal(s.size, 30_000);
  let wrong = 0;
  for (let i = 0; i < 30_000; i++) if (i !== 7 && JSON.stringify(s.get(`p${i}`)) !== JSON.stringify(valuesOf(i))) wrong++;
  t.equal(wrong, 0, 'every patient reads back its own values (past the cache too)');
  t.same(s.get('p7'), [{ value: 'Changed', infoType: 'LAST_NAME' }]);
  t.equal(s.get('nobody'), undefined);
  const dirs = fs.readdirSync(tmp).filter((d) => d.startsWith('deid-context-'));
  t.equal(dirs.length, 1);
  const file = path.join(tmp, dirs[0]!, 'patients');
  t.equal(fs.statSync(file).mode & 0o777, 0o600, 'only the owner can read the file');
  s.close();
  t.notOk(fs.existsSync(path.join(tmp, dirs[0]!)), 'close removes the folder');
  t.throws(() => s.set('p1', []), 'no use after close');
});

t.test('PatientContext past its limit: same answers as in memory, no union, no entries', async (t) => {
  const inMemory = new PatientContext();
  const spilling = new PatientContext({ maxInMemory: 50, tmpdir: tmp });
  // the union of every patient's values (global()) stays in memory up to GLOBAL_LIMIT values
  for (let i = 0; i < 51; i++) spilling.add(`p${i}`, valuesOf(i));
  t.notOk(spilling.spilled, 'past maxInMemory patients, but not past GLOBAL_LIMIT values');
  t.ok(spilling.global());
  const n = PatientContext.GLOBAL_LIMIT / 2 + 10;
  for (let i = 0; i < n; i++) {
    inMemory.add(`p${i}`, valuesOf(i));
    spilling.add(`p${i}`, valuesOf(i));
  }
  // a second add merges, as in memory
  inMemory.add('p3', [{ value: 'Alias', infoType: 'FIRST_NAME' }]);
  spilling.add('p3', [{ value: 'Alias', infoType: 'FIRST_NAME' }]);
  t.notOk(inMemory.spilled);
  t.ok(spilling.spilled);
  t.equal(spilling.size, n);
  t.equal(inMemory.global(), undefined, 'past GLOBAL_LIMIT, no union in memory either');
  for (const id of ['p0', 'p3', 'p49', 'p50', `p${n - 1}`, 'nobody']) t.same(spilling.get(id), inMemory.get(id), id);
  t.equal(spilling.global(), undefined);
  t.throws(() => spilling.entries());
  const v = spilling.version;
  spilling.add('p3', [{ value: 'alias', infoType: 'FIRST_NAME' }]);
  t.equal(spilling.version, v, 'nothing new (case aside): the version stays');
  spilling.close();
  t.equal(fs.readdirSync(tmp).filter((d) => d.startsWith('deid-context-')).length, 0);
});

function sink(): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  return {
    stream: new Writable({
      write(c: Buffer, _e, cb) {
        chunks.push(Buffer.from(c));
        cb();
      },
    }),
    bytes: () => Buffer.concat(chunks),
  };
}

/** `n` patients, each with names, an MRN and a phone, and an Observation whose note names them. */
function manyPatients(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const family = `Zq${i.toString(36)}vorn`;
    lines.push(JSON.stringify({ resourceType: 'Observation', id: `o${i}`, status: 'final', code: { text: 'note' }, subject: { reference: `Patient/p${i}` }, valueString: `Called ${family} about MRN${900000 + i}; ${family} agreed.` }));
  }
  for (let i = 0; i < n; i++) {
    const family = `Zq${i.toString(36)}vorn`;
    lines.push(JSON.stringify({ resourceType: 'Patient', id: `p${i}`, name: [{ family, given: [`Ana${i}`, 'Maria'] }], identifier: [{ system: 'urn:mrn', value: `MRN${900000 + i}` }, { system: 'urn:ssn', value: `999-${String(i).padStart(2, '0')}-1234` }], telecom: [{ system: 'phone', value: `555-01${String(i).padStart(2, '0')}` }] }));
  }
  return lines.join('\n') + '\n';
}

t.test('deid fhir with the context spilled writes the same bytes as with it in memory', async (t) => {
  const file = path.join(tmp, 'many.ndjson');
  fs.writeFileSync(file, manyPatients(1200));
  const run = async (maxPatientsInMemory?: number, threads?: number) => {
    const out = sink();
    const stats = await runFhir({
      inputs: [file],
      output: '-',
      config: deidDefaultConfig(),
      key: { bytes: Buffer.from(KEY_A, 'hex'), source: 'given' },
      stdout: out.stream,
      ...(maxPatientsInMemory ? { maxPatientsInMemory } : {}),
      ...(threads ? { threads } : {}),
    });
    return { bytes: out.bytes(), stats };
  };
  const before = fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('deid-context-')).length;
  const memory = await run();
  const spilled = await run(100);
  const threaded = await run(100, 1);
  const text = memory.bytes.toString('utf8');
  t.equal(text.split('\n').length - 1, 2400);
  t.notMatch(text, /Zq[0-9a-z]+vorn|MRN9\d{5}/, 'the notes are scrubbed of their patients\' names and MRNs');
  t.ok(memory.bytes.equals(spilled.bytes), 'byte-identical output');
  t.ok(memory.bytes.equals(threaded.bytes), 'with --threads too (the run falls back to one thread)');
  t.equal(fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('deid-context-')).length, before, 'no file left behind');
});

t.test('a signal removes the spilled file (it holds PHI)', async (t) => {
  const { spawn } = await import('node:child_process');
  const dir = fs.mkdtempSync(path.join(tmp, 'sig-'));
  const script = `
    import { SpilledContexts } from ${JSON.stringify(path.resolve(import.meta.dirname, '../../src/fhir/spilled-contexts.ts'))};
    const s = new SpilledContexts(${JSON.stringify(dir)});
    s.set('p1', [{ value: 'Zqvorn', infoType: 'LAST_NAME' }]);
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: import.meta.dirname });
  await new Promise<void>((resolve) => child.stdout.on('data', (b: Buffer) => b.toString().includes('ready') && resolve()));
  t.equal(fs.readdirSync(dir).length, 1, 'the folder exists while the process runs');
  child.kill('SIGTERM');
  const sig = await new Promise((resolve) => child.on('close', (_c, s) => resolve(s)));
  t.equal(sig, 'SIGTERM', 'ended by the signal');
  t.same(fs.readdirSync(dir), [], 'nothing left');
});
