import fs from 'node:fs';
import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';

type Json = Record<string, unknown>;

// Structural attributes of a narrative (id, class, style, lang, name…) were
// left as written: the patient's name as `<p id="VonRueden">` or
// `<a name="Erika-VonRueden">`, and a birth date in a class, came out
// unchanged although the same values are scrubbed from the text around them.
// They now get the patient's own values and dates removed (not the free-text
// detectors: `width="100"` or `class="title"` stay).
const lines = (f: string) => fs.readFileSync(`data/samples/fhir/${f}.ndjson`, 'utf8').split('\n');
const patient = JSON.parse(lines('Patient')[0]!) as Json;
const obs = JSON.parse(lines('Observation').find((l) => l.includes(patient.id as string))!) as Json;
const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 3));
deidentifyResource(patient, env); // its names and dates are the context of its records

const family = ((patient.name as Json[])[0]!.family as string);
const given = ((patient.name as Json[])[0]!.given as string[])[0]!;
const divOf = (div: string) => ((deidentifyResource({ ...obs, text: { status: 'generated', div } }, env).text as Json).div as string);

t.test("the patient's values in structural attributes are scrubbed", async (t) => {
  const div = `<div xmlns="http://www.w3.org/1999/xhtml"><p id="${family}" class="pt-${given}-${family}" lang="${family}">seen</p><a name="${given}">x</a><span style="font:${family}">y</span></div>`;
  const out = divOf(div);
  t.notMatch(out, family);
  t.notMatch(out, given);
  t.match(out, /^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml"><p id="[^"]*" class="[^"]*" lang="[^"]*">seen<\/p>/, 'markup kept');
});

t.test('a birth date in a structural attribute is shifted like one in the text', async (t) => {
  const out = divOf(`<div xmlns="http://www.w3.org/1999/xhtml"><td class="dob ${patient.birthDate as string}">b</td></div>`);
  t.notMatch(out, patient.birthDate as string);
});

t.test('ordinary structural values are unchanged', async (t) => {
  const div = '<div xmlns="http://www.w3.org/1999/xhtml"><table border="1" width="100%"><tr><td class="title" colspan="2" id="r1">Vital signs</td></tr></table></div>';
  t.equal(divOf(div), div);
});
