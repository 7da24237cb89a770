import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli, parseNdjson } from '../helpers/run-cli.js';

// `cat *.ndjson | deid fhir`: Patient.ndjson sorts after most resource types,
// so a note comes before its patient's record. Read from stdin, such a note
// was not scrubbed of the patient's own values (the first pass that collects
// them read files only): an identifier and a name written in lower case, which
// no generic detector takes for PHI, came out as they were.
const tmp = () => fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-late-'));

const note = {
  resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'note' },
  subject: { reference: 'Patient/p1' }, valueString: 'carrot river stable, qx77a reviewed',
};
const patient = { resourceType: 'Patient', id: 'p1', identifier: [{ value: 'QX77A' }], name: [{ family: 'River', given: ['Carrot'] }] };
const input = [note, patient].map((r) => JSON.stringify(r)).join('\n') + '\n';
const leaks = /carrot|river|qx77a/i;

t.test('stdin: a note before its patient is scrubbed of the patient\'s values, as from a file', async (t) => {
  const dir = tmp();
  const file = path.join(dir, 'in.ndjson');
  fs.writeFileSync(file, input);
  const fromFile = await runCli(['fhir', file, '-q']);
  const fromStdin = await runCli(['fhir', '-q'], { input });
  t.equal(fromStdin.code, 0);
  t.notMatch(parseNdjson(fromStdin.stdout)[0]!.valueString, leaks);
  t.ok(fromStdin.stdout.equals(fromFile.stdout), 'stdin and the file give the same bytes');
  const gz = await runCli(['fhir', '-q'], { input: gzipSync(input) });
  t.ok(gz.stdout.equals(fromFile.stdout), 'gzip on stdin too');
  const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: note }, { resource: patient }] };
  const doc = await runCli(['fhir', '-q'], { input: JSON.stringify(bundle) });
  t.equal(doc.code, 0);
  t.notMatch(doc.stdout.toString(), leaks, 'a Bundle document on stdin');
});

t.test('stdin copy: error locations name stdin, and the copy is gone afterwards', async (t) => {
  const spool = tmp();
  const dir = tmp();
  const errors = path.join(dir, 'errors.ndjson');
  const bad = `${input}{not json\n`;
  const r = await runCli(['fhir', '-q', '--errors', errors], { input: bad, env: { TMPDIR: spool } });
  t.equal(r.code, 3);
  t.equal(parseNdjson(r.stdout).length, 2);
  const [e] = fs.readFileSync(errors, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(e, { file: '-', line: 3, code: 'INVALID_JSON' });
  t.same(fs.readdirSync(spool), [], 'no copy of stdin left in TMPDIR');
});

t.test('without contextual de-identification stdin is not copied', async (t) => {
  const spool = tmp();
  const dir = tmp();
  const cfg = path.join(dir, 'c.json');
  fs.writeFileSync(cfg, JSON.stringify({ fhirFieldConfig: { profileType: 'BASIC' } }));
  const r = await runCli(['fhir', '-q', '-c', cfg], { input, env: { TMPDIR: spool } });
  t.equal(r.code, 0, r.stderr.toString());
  t.equal(parseNdjson(r.stdout).length, 2);
  t.same(fs.readdirSync(spool), []);
});
