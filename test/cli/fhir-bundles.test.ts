import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, parseNdjson, sharedData } from '../helpers/run-cli.js';
import { UUID_RE } from '../../src/core/keyed.js';

type Json = Record<string, any>;
const synthea = path.join(sharedData, 'fhir-samples/synthea-transaction-bundles');
const bundleFile = path.join(synthea, fs.readdirSync(synthea).sort()[0]!);
const input = JSON.parse(fs.readFileSync(bundleFile, 'utf8')) as Json;

t.test('a Bundle comes out as one Bundle with every entry, in order', async (t) => {
  const r = await runCli(['fhir', bundleFile]);
  t.equal(r.code, 0);
  const out = parseNdjson(r.stdout);
  t.equal(out.length, 1);
  const b = out[0] as Json;
  t.equal(b.resourceType, 'Bundle');
  t.equal(b.type, input.type);
  t.equal(b.entry.length, input.entry.length);
  t.same(b.entry.map((e: Json) => e.resource.resourceType), input.entry.map((e: Json) => e.resource.resourceType));
  t.same(b.entry.map((e: Json) => e.request?.method), input.entry.map((e: Json) => e.request?.method));
});

t.test('urn:uuid full URLs stay valid UUIDs and every reference still points at its entry', async (t) => {
  const b = parseNdjson((await runCli(['fhir', bundleFile])).stdout)[0] as Json;
  const fullUrls = new Set<string>(b.entry.map((e: Json) => e.fullUrl));
  for (const u of fullUrls) t.ok(u.startsWith('urn:uuid:') && UUID_RE.test(u.slice(9))) || t.fail(u);
  const inputUrls = new Set<string>(input.entry.map((e: Json) => e.fullUrl));
  t.notOk([...fullUrls].some((u) => inputUrls.has(u)), 'no original full URL survives');
  const refs = JSON.stringify(b).match(/"reference":"urn:uuid:[^"]+"/g) ?? [];
  const inRefs = JSON.stringify(input).match(/"reference":"urn:uuid:[^"]+"/g) ?? [];
  t.equal(refs.length, inRefs.length);
  const dangling = refs.map((r) => r.slice(13, -1)).filter((r) => !fullUrls.has(r));
  t.same(dangling, [], 'every urn:uuid reference resolves inside the Bundle');
});

t.test('--unbundle writes the entries as NDJSON resources', async (t) => {
  const r = await runCli(['fhir', bundleFile, '--unbundle']);
  const out = parseNdjson(r.stdout);
  t.equal(out.length, input.entry.length);
  t.same(out.map((o) => o.resourceType), input.entry.map((e: Json) => e.resource.resourceType));
});

t.test('contained resources and their local references agree', async (t) => {
  const file = path.join(sharedData, 'fhir-samples/hl7-r4-examples/resources/MedicationRequest-medrx0301.json');
  const src = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
  const out = parseNdjson((await runCli(['fhir', file])).stdout)[0] as Json;
  const ids = new Set((out.contained ?? []).map((c: Json) => `#${c.id}`));
  const local = (JSON.stringify(out).match(/"reference":"#[^"]+"/g) ?? []).map((r) => r.slice(13, -1));
  t.equal(local.length, (JSON.stringify(src).match(/"reference":"#[^"]+"/g) ?? []).length);
  t.ok(local.length > 0);
  t.same(local.filter((r) => !ids.has(r)), []);
});

t.test('conditional references keep only pseudonymised identifiers', async (t) => {
  const file = path.join(sharedData, 'fhir-samples/bulk-smart-10-patients/Encounter.000.ndjson');
  const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.includes('?identifier='))!;
  t.ok(line, 'the sample has conditional references');
  const npi = /identifier=[^|"]*\|(\d+)/.exec(line)![1]!;
  const out = (await runCli(['fhir'], { input: line + '\n' })).stdout.toString();
  t.notMatch(out, new RegExp(`\\b${npi}\\b`), 'the NPI is not in the output');
  t.match(out, /\?identifier=http:\/\/hl7\.org\/fhir\/sid\/us-npi\|[0-9a-f]{32}"/);
});

t.test('the report counts records per type and every action applied', async (t) => {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-report-'));
  const report = path.join(dir, 'r.json');
  await runCli(['fhir', bundleFile, '--report', report]);
  const r = JSON.parse(fs.readFileSync(report, 'utf8')) as Json;
  t.match(r, { operation: 'fhir', profile: 'BASIC', configDigest: /^[0-9a-f]{64}$/, keySource: 'env' });
  t.ok(Date.parse(r.startTime) <= Date.parse(r.endTime));
  t.equal(r.byType.Patient.in, input.entry.filter((e: Json) => e.resource.resourceType === 'Patient').length);
  t.equal(r.byType.Bundle.out, 1);
  t.ok(r.actions['Patient.name.family: removed'] >= 1);
  t.ok(r.actions['Patient.birthDate: date-shifted'] >= 1);
  // paths are allowed (this sample's file name carries the patient's name); record contents are not
  const { inputs: _inputs, ...rest } = r;
  t.notMatch(JSON.stringify(rest), new RegExp(input.entry.find((e: Json) => e.resource.resourceType === 'Patient').resource.name[0].family), 'no PHI in the report');
});

t.test('a Bundle streamed from a .json file and the same Bundle as an NDJSON line agree, entries removed by rules included', async (t) => {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-bundle-rules-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const ndjson = path.join(dir, 'bundle.ndjson');
  fs.writeFileSync(ndjson, JSON.stringify(input) + '\n');
  for (const paths of [['Bundle.entry'], ['Bundle.entry.resource'], ['Bundle.entry.request']]) {
    const config = path.join(dir, `${paths[0]}.json`);
    fs.writeFileSync(config, JSON.stringify({ fhirFieldConfig: { profileType: 'KEEP_ALL', fieldMetadataList: [{ paths, removeField: {} }] } }));
    const run = async (file: string) => {
      const report = path.join(dir, `${path.basename(file)}.report.json`);
      const r = await runCli(['fhir', file, '-c', config, '--report', report]);
      t.equal(r.code, 0, r.stderr);
      return { out: parseNdjson(r.stdout), report: JSON.parse(fs.readFileSync(report, 'utf8')) as Json };
    };
    const streamed = await run(bundleFile);
    const line = await run(ndjson);
    t.same(streamed.out, line.out, `${paths[0]}: same Bundle from both paths`);
    const b = streamed.out[0] as Json;
    t.notOk((b.entry ?? []).some((e: Json) => Object.keys(e).length === 0), `${paths[0]}: no empty entry`);
    t.ok(b.meta?.security?.some((c: Json) => c.code === 'REDACTED'), `${paths[0]}: the Bundle carries its security labels`);
    t.same(streamed.report.actions, line.report.actions, `${paths[0]}: same actions reported`);
    const { in: n, out, failed } = streamed.report.records;
    t.equal(n, out + failed, `${paths[0]}: in = out + failed`);
  }
});

t.test('a streamed Bundle whose id comes after entry: its own dates are shifted as read whole', async (t) => {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-bundle-late-id-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  // a message Bundle with a timestamp and no meta (a streamed Bundle's meta goes with its tail)
  const example = path.join(sharedData, 'fhir-samples/hl7-r4-examples/bundles/Bundle-10bb101f-a121-4264-a920-67be9cb82c74.json');
  const { id, ...rest } = JSON.parse(fs.readFileSync(example, 'utf8')) as Json;
  const late: Json = { ...rest, id };
  t.ok(Object.keys(late).indexOf('entry') < Object.keys(late).indexOf('id') && typeof late.timestamp === 'string');
  const doc = path.join(dir, 'late.json');
  fs.writeFileSync(doc, JSON.stringify(late, null, 1));
  const gz = path.join(dir, 'late.json.gz');
  fs.writeFileSync(gz, (await import('node:zlib')).gzipSync(fs.readFileSync(doc)));
  const line = path.join(dir, 'late.ndjson');
  fs.writeFileSync(line, JSON.stringify(late) + '\n');
  const whole = await runCli(['fhir', line]);
  t.equal(whole.code, 0);
  for (const [how, args, stdin] of [
    ['file', [doc], undefined],
    ['gzip', [gz], undefined],
    ['stdin', ['-'], fs.readFileSync(doc)],
  ] as const) {
    const r = await runCli(['fhir', ...args], stdin === undefined ? {} : { input: stdin });
    t.equal(r.code, 0, how);
    t.ok(r.stdout.equals(whole.stdout), `${how}: the bytes of the Bundle read whole`);
  }
  const first = parseNdjson((await runCli(['fhir', example])).stdout)[0] as Json;
  t.equal((parseNdjson(whole.stdout)[0] as Json).timestamp, first.timestamp, 'the same shift as with id first');

  // without contextual de-identification stdin is read once: the rest of it is copied to read the id ahead
  const config = path.join(dir, 'no-context.json');
  fs.writeFileSync(config, JSON.stringify({ fhirFieldConfig: { profileType: 'BASIC' } }));
  const wholeNoContext = await runCli(['fhir', line, '-c', config]);
  const tmpdir = fs.mkdtempSync(path.join(dir, 'tmp-'));
  for (const [how, input] of [['stdin', fs.readFileSync(doc)], ['gzip stdin', fs.readFileSync(gz)]] as const) {
    const r = await runCli(['fhir', '-', '-c', config], { input, env: { TMPDIR: tmpdir } });
    t.equal(r.code, 0, how);
    t.ok(r.stdout.equals(wholeNoContext.stdout), `${how} read once: the bytes of the Bundle read whole`);
    t.same(fs.readdirSync(tmpdir), [], `${how}: the copy of the rest of stdin is removed`);
  }
});

t.test('a Bundle with two top-level ids: streamed as read whole (JSON.parse keeps the last, where the first was)', async (t) => {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-bundle-two-ids-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  // a message Bundle with a timestamp and no meta (a streamed Bundle's meta goes with its tail)
  const example = path.join(sharedData, 'fhir-samples/hl7-r4-examples/bundles/Bundle-10bb101f-a121-4264-a920-67be9cb82c74.json');
  const { id: _id, resourceType: _rt, entry, ...rest } = JSON.parse(fs.readFileSync(example, 'utf8')) as Json;
  const members = (o: Json) => Object.entries(o).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',');
  const doc = (before: string[], after: string[]) =>
    `{"resourceType":"Bundle",${before.map((id) => `"id":${JSON.stringify(id)},`).join('')}${members(rest)},"entry":${JSON.stringify(entry)}${after.map((id) => `,"id":${JSON.stringify(id)}`).join('')}}`;
  const config = path.join(dir, 'no-context.json');
  fs.writeFileSync(config, JSON.stringify({ fhirFieldConfig: { profileType: 'BASIC' } }));
  const shifts = new Set<unknown>();
  for (const [before, after] of [
    [['first', 'second'], []],
    [['first'], ['second']],
    [[], ['first', 'second']],
    [['first', 'second'], ['third']],
    [['same'], ['same']],
  ] as const) {
    const text = doc([...before], [...after]);
    const last = [...before, ...after].pop();
    t.equal((JSON.parse(text) as Json).id, last);
    const name = `${before.join('+') || '-'}.${after.join('+') || '-'}`;
    const file = path.join(dir, `${name}.json`);
    fs.writeFileSync(file, text);
    const gz = path.join(dir, `${name}.json.gz`);
    fs.writeFileSync(gz, (await import('node:zlib')).gzipSync(text));
    const line = path.join(dir, `${name}.ndjson`);
    fs.writeFileSync(line, text + '\n');
    const whole = await runCli(['fhir', line]);
    t.equal(whole.code, 0);
    const out = parseNdjson(whole.stdout)[0] as Json;
    t.equal(Object.keys(out).filter((k) => k === 'id').length, 1);
    shifts.add(out.timestamp);
    // the same as a Bundle whose only id is the last
    const single = path.join(dir, `${name}.single.ndjson`);
    fs.writeFileSync(single, (before.length > 0 ? doc([last], []) : doc([], [last])) + '\n');
    t.ok((await runCli(['fhir', single])).stdout.equals(whole.stdout), `${name}: read whole, the last id is the one`);
    for (const [how, args, stdin] of [
      ['file', [file], undefined],
      ['gzip', [gz], undefined],
      ['stdin', ['-'], text],
      ['stdin read once', ['-', '-c', config], text],
    ] as const) {
      const r = await runCli(['fhir', ...args], stdin === undefined ? {} : { input: stdin });
      t.equal(r.code, 0, `${name}, ${how}`);
      const want = how === 'stdin read once' ? (await runCli(['fhir', line, '-c', config])).stdout : whole.stdout;
      t.ok(r.stdout.equals(want), `${name}, ${how}: the bytes of the Bundle read whole`);
    }
  }
  t.ok(shifts.size > 1, 'the id keys the shift');
});

t.test('a Bundle id too long to be a FHIR id: streamed as read whole', async (t) => {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-bundle-long-id-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const example = path.join(sharedData, 'fhir-samples/hl7-r4-examples/bundles/Bundle-10bb101f-a121-4264-a920-67be9cb82c74.json');
  const { id: _id, resourceType: _rt, entry, ...rest } = JSON.parse(fs.readFileSync(example, 'utf8')) as Json;
  const members = Object.entries(rest).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',');
  const huge = 'a'.repeat(3 * 1024 * 1024);
  const noId = await runCli(['fhir', '-'], { input: `{"resourceType":"Bundle",${members},"entry":${JSON.stringify(entry)}}\n` });
  const noIdTimestamp = (parseNdjson(noId.stdout)[0] as Json).timestamp;
  for (const [name, text, sameBytes] of [
    ['huge after entry', `{"resourceType":"Bundle",${members},"entry":${JSON.stringify(entry)},"id":"${huge}"}`, true],
    ['huge first', `{"resourceType":"Bundle","id":"${huge}",${members},"entry":${JSON.stringify(entry)}}`, true],
    ['65 characters after entry', `{"resourceType":"Bundle",${members},"entry":${JSON.stringify(entry)},"id":"${'b'.repeat(65)}"}`, true],
    ['other characters after entry', `{"resourceType":"Bundle",${members},"entry":${JSON.stringify(entry)},"id":"a b/c"}`, true],
    // a huge later id is not read ahead, only that the last id is too long: a short head id goes and the
    // tail's comes out where it stands; a huge head id stays (it may be the last), and a tail id after it too
    ['huge first and after entry', `{"resourceType":"Bundle","id":"${huge}",${members},"entry":${JSON.stringify(entry)},"id":"${huge}b"}`, false],
    ['short first, huge after entry', `{"resourceType":"Bundle","id":"short",${members},"entry":${JSON.stringify(entry)},"id":"${huge}"}`, false],
  ] as const) {
    const file = path.join(dir, `${name}.json`);
    fs.writeFileSync(file, text);
    const line = path.join(dir, `${name}.ndjson`);
    fs.writeFileSync(line, text + '\n');
    const whole = await runCli(['fhir', line]);
    t.equal(whole.code, 0, whole.stderr);
    const w = parseNdjson(whole.stdout)[0] as Json;
    t.equal(w.timestamp, noIdTimestamp, `${name}: read whole, an id that is no FHIR id keys the shift as no id`);
    t.match(w.id, /^[0-9a-f]{32}$/, `${name}: the id pseudonymised`);
    const r = await runCli(['fhir', file]);
    t.equal(r.code, 0, `${name}: ${r.stderr}`);
    if (sameBytes) t.ok(r.stdout.equals(whole.stdout), `${name}: the bytes of the Bundle read whole`);
    else t.same(parseNdjson(r.stdout), parseNdjson(whole.stdout), `${name}: the Bundle read whole`);
  }
});

t.test('meta, id, type, link, total, signature before or after entry: streamed, the bytes of the Bundle read whole', async (t) => {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-bundle-order-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const synthea = path.join(sharedData, 'fhir-samples/synthea-transaction-bundles');
  const sample = JSON.parse(fs.readFileSync(path.join(synthea, fs.readdirSync(synthea).sort()[1]!), 'utf8')) as Json;
  const m: Json = {
    id: 'b1',
    meta: { versionId: '3', lastUpdated: '2020-01-01T00:00:00Z', security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' }] },
    type: 'searchset',
    link: [{ relation: 'self', url: 'http://example.org/fhir/Patient?name=a' }],
    total: 5,
    signature: { type: [{ system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.1' }], when: '2020-01-01T00:00:00Z', who: { reference: 'Practitioner/1' }, data: 'AAAA' },
  };
  const keys = Object.keys(m);
  const layouts: Array<[string, string[], string[]]> = [
    ['all before', keys, []],
    ['all after', [], keys],
    ['meta before, rest after', ['meta'], keys.filter((k) => k !== 'meta')],
    ['meta after, rest before', keys.filter((k) => k !== 'meta'), ['meta']],
    ['meta last before', ['id', 'type', 'link', 'total', 'signature', 'meta'], []],
  ];
  // labels the entries decide: request removed (REDACTED on the Bundle), and the default profile
  const redact = path.join(dir, 'redact.json');
  fs.writeFileSync(redact, JSON.stringify({ fhirFieldConfig: { profileType: 'KEEP_ALL', fieldMetadataList: [{ paths: ['Bundle.entry.request'], removeField: {} }] } }));
  const zlib = await import('node:zlib');
  for (const [name, before, after] of layouts) {
    const o: Json = { resourceType: 'Bundle' };
    for (const k of before) o[k] = m[k];
    o.entry = sample.entry;
    for (const k of after) o[k] = m[k];
    const file = path.join(dir, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(o, null, 1));
    const gz = path.join(dir, `${name}.json.gz`);
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(file)));
    const line = path.join(dir, `${name}.ndjson`);
    fs.writeFileSync(line, JSON.stringify(o) + '\n');
    for (const config of [[], ['-c', redact]]) {
      const whole = await runCli(['fhir', line, ...config]);
      t.equal(whole.code, 0);
      const w = parseNdjson(whole.stdout)[0] as Json;
      if (config.length > 0) t.ok((w.meta as Json).security && JSON.stringify(w.meta).includes('REDACTED'), `${name}: labelled by what was done to its entries`);
      const label = `${name}${config.length ? ', request removed' : ''}`;
      for (const [how, args, stdin] of [
        ['file', [file], undefined],
        ['gzip', [gz], undefined],
        ['stdin', ['-'], fs.readFileSync(file)],
      ] as const) {
        const r = await runCli(['fhir', ...args, ...config], stdin === undefined ? {} : { input: stdin });
        t.equal(r.code, 0, `${label}, ${how}`);
        t.ok(r.stdout.equals(whole.stdout), `${label}, ${how}: the bytes of the Bundle read whole`);
      }
    }
  }
});
