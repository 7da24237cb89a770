import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import { parseConfig } from '../../src/config/load-config.js';

type Json = Record<string, unknown>;

// A picture embedded in a narrative as a data: URL (`<img src="data:image/png;base64,…">`,
// a CSS `url(data:…)`) came out unchanged: the text detectors found nothing in
// base64. A face photograph is a Safe Harbor identifier, and no picture can be
// read for PHI, so any attribute holding a data: URL is now emptied, whatever the
// text config; the detectors also find data: URLs as URL in free text, and so
// URL-typed elements holding one are removed.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const basic = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 7));
const obs = (extra: Json): Json => ({ resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'photo' }, ...extra });
const div = (inner: string) => ({ text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>` } });
const divOf = (out: Json) => (out.text as Json).div as string;

t.test('a data: URL in any narrative attribute is emptied; the markup stays', async (t) => {
  const out = divOf(
    deidentifyResource(
      obs(div(`<p>Photo</p><img src="data:image/png;base64,${PNG}" alt="photo"/><p style="background:url(data:image/png;base64,${PNG})">x</p><a href="DATA:text/html,%3Cb%3Ehi">y</a><img src="&#100;ata:image/gif;base64,${PNG}"/>`)),
      basic,
    ),
  );
  t.notMatch(out, PNG.slice(0, 20));
  t.notMatch(out, /data:/i);
  t.equal(out, '<div xmlns="http://www.w3.org/1999/xhtml"><p>Photo</p><img src="" alt="photo"/><p style="">x</p><a href="">y</a><img src=""/></div>');
});

t.test('the same under a text config that changes nothing: pictures are not text', async (t) => {
  const keepText = makeFhirEnv(parseConfig({ text: { profileType: 'EMPTY' } }), Buffer.alloc(32, 7));
  const out = divOf(deidentifyResource(obs(div(`<img src="data:image/png;base64,${PNG}" alt="Photo"/>`)), keepText));
  t.equal(out, '<div xmlns="http://www.w3.org/1999/xhtml"><img src="" alt="Photo"/></div>');
});

t.test('attributes without a data: URL are left to the detectors as before', async (t) => {
  const inner = '<img src="#photo" alt="chest film"/><p class="data">data: 5 units, see table</p>';
  t.equal(divOf(deidentifyResource(obs(div(inner)), basic)), `<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>`);
});

t.test('data: URLs in free text are URL findings; in URL-typed data they are removed', async (t) => {
  const out = deidentifyResource(obs({ valueString: `scan at data:image/png;base64,${PNG} today` }), basic);
  t.equal(out.valueString, 'scan at [URL] today', 'the whole URL, padding included');
  const text = divOf(deidentifyResource(obs(div(`<p>inline data:text/plain;base64,TWFyZ2FyZXQ=</p>`)), basic));
  t.equal(text, '<div xmlns="http://www.w3.org/1999/xhtml"><p>inline [URL]</p></div>');
  const doc = deidentifyResource(
    { resourceType: 'DocumentReference', id: 'd1', status: 'current', content: [{ attachment: { contentType: 'image/png', url: `data:image/png;base64,${PNG}`, title: 'Photo' } }] },
    basic,
  );
  const att = (doc.content as Json[])[0]!.attachment as Json;
  t.equal(att.url, undefined);
  t.equal(att.title, 'Photo');
  const qr = deidentifyResource({ resourceType: 'QuestionnaireResponse', id: 'q1', status: 'completed', item: [{ linkId: '1', answer: [{ valueUri: 'data:,Margaret' }] }] }, basic);
  t.notMatch(JSON.stringify(qr), 'Margaret');
});

t.test('a hostile attribute (a data: start, then a megabyte of spaces and no comma) is read in one pass', async (t) => {
  const gap = ' '.repeat(1 << 20);
  const out = divOf(deidentifyResource(obs(div(`<img src="data:${gap};${gap}x"/><img src="data:${gap}image/png;base64,${PNG}"/>`)), basic));
  t.notMatch(out, PNG.slice(0, 20), 'white space inside a data: URL does not hide it');
  t.match(out, /<img src=""\/><\/div>$/);
});
