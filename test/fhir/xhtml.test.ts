import fs from 'node:fs';
import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import { decodeEntities, mapXhtmlText } from '../../src/fhir/xhtml.js';

type Json = Record<string, unknown>;

// Narrative text is wherever a reader sees it: between tags, in CDATA, in
// attribute values (title, alt, href), and behind character references.
// Found by fuzzing: a patient's name in a title attribute, a comment or as
// `Zz&#108;eakqq`, a phone number in a title and an email in a mailto href
// all came out unchanged.
const upper = (s: string): string | undefined => (s.toUpperCase() === s ? undefined : s.toUpperCase());

t.test('text, CDATA and attribute values are cleaned; structure and comments are not passed through', async (t) => {
  const x = '<div xmlns="http://www.w3.org/1999/xhtml"><p class="a" title=\'secret\'>hi &amp; bye</p><!-- secret --><![CDATA[cd]]><?pi secret?><br/></div>';
  t.equal(mapXhtmlText(x, upper), '<div xmlns="http://www.w3.org/1999/xhtml"><p class="a" title="SECRET">HI &amp; BYE</p>CD<br/></div>');
  t.equal(mapXhtmlText('<div xmlns="http://www.w3.org/1999/xhtml">Zz&#108;eak&#x71;q</div>', upper), '<div xmlns="http://www.w3.org/1999/xhtml">ZZLEAKQQ</div>');
  t.equal(mapXhtmlText('<div>A &nbsp; B</div>', (s) => s.replace('A', 'a')), '<div>a &nbsp; B</div>', 'an entity it does not know stays one');
  t.equal(mapXhtmlText('<div>a<b</div>', upper), undefined, 'a < that starts no tag');
  t.equal(mapXhtmlText('<div title=secret>x</div>', upper), undefined, 'an unquoted attribute');
  t.equal(mapXhtmlText('<div>x', upper), '<div>X');
  const same = '<div xmlns="http://www.w3.org/1999/xhtml"><p>SAME</p></div>';
  t.equal(mapXhtmlText(same, upper), same, 'unchanged: the input itself');
  t.equal(decodeEntities('&lt;&#65;&#x42;&amp;&bogus;&#0;'), '<AB&&bogus;&#0;');
});

t.test('a sample Patient: its name, phone and email do not survive anywhere in the narrative', async (t) => {
  const patient = JSON.parse(fs.readFileSync('data/samples/fhir/Patient.ndjson', 'utf8').split('\n')[0]!) as Json;
  const name = (patient.name as Json[])[0]!;
  const family = name.family as string;
  const given = (name.given as string[])[0]!;
  const phone = ((patient.telecom as Json[])[0]!.value as string);
  const div = `<div xmlns="http://www.w3.org/1999/xhtml"><span title="${given} ${family} ${phone}">x</span>` +
    `<!-- ${given} ${family} --><img alt="${family}" src="#p"/><a href="mailto:${family.toLowerCase()}@example.com">mail</a>` +
    `<p>${given} ${family.slice(0, 1)}&#${family.charCodeAt(1)};${family.slice(2)}</p></div>`;
  const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 0x42));
  const out = deidentifyResource({ ...patient, text: { status: 'generated', div } }, env);
  const text = (out.text as Json).div as string;
  for (const v of [family, given, phone, family.toLowerCase()]) t.notOk(text.includes(v), `${v} gone from ${text}`);
  t.match(text, /^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">/, 'the div element is kept');
  const bad = deidentifyResource({ ...patient, text: { status: 'generated', div: `<div>${family} <unclosed ${family}</div>` } }, env);
  t.equal((bad.text as Json | undefined)?.div, undefined, 'markup that cannot be read is removed');
});
