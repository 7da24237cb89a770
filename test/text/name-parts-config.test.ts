import t from 'tap';
import { PassThrough, Readable } from 'node:stream';
import { runText } from '../../src/cli/text-command.js';
import { normalizeTextConfig } from '../../src/text/config.js';
import { deidentifyText } from '../../src/text/deidentify-text.js';
import { env } from './transformations.js';

const NOTE = 'Seen by Dr. John A. Smith on 7/22/2019. Wife Grace called.';

t.test('a TextConfig transforming FIRST_NAME only leaves surnames and middle initials', async (t) => {
  const cfg = normalizeTextConfig({ transformations: [{ infoTypes: ['FIRST_NAME'], replaceWithInfoTypeConfig: {} }] });
  const r = deidentifyText(NOTE, cfg, env);
  t.equal(r.text, 'Seen by Dr. [FIRST_NAME] A. Smith on 7/22/2019. Wife [FIRST_NAME] called.');
  t.same(r.counts, { FIRST_NAME: 2 });
});

t.test('different actions per part; PERSON_NAME covers what is neither', async (t) => {
  const cfg = normalizeTextConfig({
    transformations: [
      { infoTypes: ['PERSON_NAME'], redactConfig: {} },
      { infoTypes: ['LAST_NAME'], characterMaskConfig: { maskingCharacter: '#' } },
    ],
  });
  t.equal(deidentifyText(NOTE, cfg, env).text, 'Seen by Dr.   ##### on 7/22/2019. Wife  called.', 'FIRST_NAME and the middle initial fall under PERSON_NAME (their parent)');
});

t.test('BASIC with excludeInfoTypes LAST_NAME: surnames stay, the rest of the name goes', async (t) => {
  const cfg = normalizeTextConfig({ profileType: 'BASIC', excludeInfoTypes: ['LAST_NAME'] });
  const r = deidentifyText(NOTE, cfg, env);
  t.match(r.text, /^Seen by Dr\. \[FIRST_NAME\] \[PERSON_NAME\] Smith on 8\/1\/2019\. Wife \[FIRST_NAME\] called\.$/);
});

t.test('a config that names only PERSON_NAME gets whole names', async (t) => {
  const cfg = normalizeTextConfig({ transformations: [{ infoTypes: ['PERSON_NAME'], replaceWithInfoTypeConfig: {} }] });
  t.equal(deidentifyText(NOTE, cfg, env).text, 'Seen by Dr. [PERSON_NAME] on 7/22/2019. Wife [PERSON_NAME] called.');
});

async function findings(text: string, infoTypes?: string[]): Promise<unknown> {
  const out = new PassThrough();
  let o = '';
  out.on('data', (d) => (o += d));
  await runText({
    key: Buffer.alloc(32, 1),
    findings: true,
    quote: true,
    input: Readable.from([Buffer.from(JSON.stringify({ id: 1, text }) + '\n')]),
    output: out,
    stderr: new PassThrough(),
    config: { ...normalizeTextConfig({}), ...(infoTypes ? { infoTypes } : {}) },
  });
  return JSON.parse(o);
}

t.test('deid text --findings shows the parts when they are asked for', async (t) => {
  const asked = (await findings(NOTE, ['FIRST_NAME', 'LAST_NAME'])) as { findings: { quote: string; infoType: string }[] };
  t.same(asked.findings.map((f) => [f.quote, f.infoType]), [['John', 'FIRST_NAME'], ['Smith', 'LAST_NAME'], ['Grace', 'FIRST_NAME']]);
  const all = (await findings(NOTE)) as { findings: { quote: string; infoType: string }[] };
  t.same(all.findings.filter((f) => f.infoType.endsWith('NAME')).map((f) => f.quote), ['John A. Smith', 'Grace']);
});
