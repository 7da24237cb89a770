import t from 'tap';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { compileFieldPath, compileRules } from '../../src/config/fhir-path-match.js';
import type { FieldRule } from '../../src/config/model.js';
import { readJson, walk, dotted, sharedData } from './helpers/typed-paths.js';

// The per-last-component index must never change an answer: compare it with
// trying every rule in order, on every node of 80 HL7 example resources.
const kinds = ['keep', 'remove', 'characterMask', 'cryptoHash', 'dateShift', 'cleanText', 'transform'] as const;
const paths = [
  'Patient.Address.city', 'Address.String', 'HumanName', 'HumanName.given', 'Deceased.Age.unit',
  'Condition.OnsetX.string', 'Onset.Age', 'Period.start', 'Identifier.value', 'Coding.code', 'code',
  'Reference.display', 'Narrative.div', 'Annotation.text', 'String', 'DateTime', 'Date', 'Patient.Contact',
  'Observation.Value.Quantity.value', 'Observation.ValueX.string', 'Encounter.Participant.individual',
  'AdministrativeGenderCode', 'Quantity.unit', 'Meta', 'id', 'Extension', 'Dosage.text', 'ContactPoint',
];
const rules: FieldRule[] = paths.map((p, i) => ({ paths: [p], action: { kind: kinds[i % kinds.length]! } }));

t.test('indexed match equals a linear scan of the rules', async (t) => {
  const m = compileRules(rules);
  const linear = paths.map((p) => compileFieldPath(p));
  const dir = path.join(sharedData, 'fhir-samples/hl7-r4-examples/resources');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().slice(0, 80);
  let nodes = 0;
  let matched = 0;
  for (const f of files) {
    for (const v of walk(readJson(`fhir-samples/hl7-r4-examples/resources/${f}`))) {
      nodes++;
      const expect = linear.findIndex((l) => l.matches(v.path));
      const got = m.matchIndex(v.path);
      if (got !== expect) t.fail(`${f} ${dotted(v.path)}: index ${got}, linear ${expect}`);
      if (got >= 0) matched++;
      let inh = -1;
      for (let r = 0; r < linear.length && inh < 0; r++) {
        for (let end = 0; end < v.path.length; end++) if (linear[r]!.matchesAt(v.path, end)) inh = r;
      }
      if (m.matchInheritedIndex(v.path) !== inh) t.fail(`${f} ${dotted(v.path)}: inherited`);
    }
  }
  t.ok(nodes > 5000, `${nodes} nodes walked`);
  t.ok(matched > 1000, `${matched} nodes matched`);
});
