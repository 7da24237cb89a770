import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TEXT_PHI_DIR, loadPresidio } from '../../eval/text/corpora.js';
import { findPhi } from '../../src/text/find-phi.js';

/** [quote, infoType] of the name findings when parts are asked for. */
function parts(text: string, infoTypes = ['PERSON_NAME']): [string, string][] {
  return findPhi(text, { infoTypes, nameParts: true }).map((f) => [text.slice(f.start, f.end), f.infoType]);
}

t.test('a full name: first word FIRST_NAME, last word LAST_NAME, middle names and initials PERSON_NAME', async (t) => {
  t.same(parts('Seen by Dr. John A. Smith today.'), [['John', 'FIRST_NAME'], ['A.', 'PERSON_NAME'], ['Smith', 'LAST_NAME']]);
  t.same(parts('Seen with Philomena Marotta.'), [['Philomena', 'FIRST_NAME'], ['Marotta', 'LAST_NAME']]);
  t.same(parts('Contact José Ávalos today'), [['José', 'FIRST_NAME'], ['Ávalos', 'LAST_NAME']]);
});

t.test('surname particles belong to the surname; a generation is neither part', async (t) => {
  t.same(parts('Seen by John Smith Jr. today'), [['John', 'FIRST_NAME'], ['Smith', 'LAST_NAME'], ['Jr', 'PERSON_NAME']]);
  t.same(parts('Seen: Philomena de Marotta'), [['Philomena', 'FIRST_NAME'], ['de Marotta', 'LAST_NAME']]);
  t.same(parts('Van Buren, Philomena was seen').slice(0, 1), [['Van Buren', 'LAST_NAME']]);
});

t.test('surname first: "Marotta, Philomena"', async (t) => {
  t.same(parts('Patient: Marotta, Philomena was seen.'), [['Marotta', 'LAST_NAME'], ['Philomena', 'FIRST_NAME']]);
  t.same(parts('Marotta, Philomena J. was seen.'), [['Marotta', 'LAST_NAME'], ['Philomena', 'FIRST_NAME'], ['J.', 'PERSON_NAME']]);
  // A list of given names is not one surname-first name.
  t.same(parts('Suzette, Philomena and Hank visited.').map((p) => p[1]), ['FIRST_NAME', 'FIRST_NAME', 'FIRST_NAME']);
});

t.test('one word: title, post-nominal and kin cues, then the Census lists', async (t) => {
  t.same(parts('Dr. Wall aware. Mrs Grace here.'), [['Wall', 'LAST_NAME'], ['Grace', 'LAST_NAME']]);
  t.same(parts('Lander RRT notified.'), [['Lander', 'LAST_NAME']]);
  t.same(parts('wife Grace called.'), [['Grace', 'FIRST_NAME']]);
  t.same(parts('My name is Siiri.'), [['Siiri', 'FIRST_NAME']]);
  t.same(parts('Her maiden name is Marotta.'), [['Marotta', 'LAST_NAME']]);
  t.same(parts('Both Suzette and Hank are proxies.'), [['Suzette', 'FIRST_NAME'], ['Hank', 'FIRST_NAME']]);
  t.equal(parts("I'm Christopher's daughter")[0]?.[1], 'FIRST_NAME', 'a possessive is looked up without its s');
});

t.test('a request for one part gets only that part; PERSON_NAME gets whole names', async (t) => {
  const text = 'Seen by Dr. John A. Smith; wife Grace called.';
  t.same(parts(text, ['FIRST_NAME']), [['John', 'FIRST_NAME'], ['Grace', 'FIRST_NAME']]);
  t.same(parts(text, ['LAST_NAME']), [['Smith', 'LAST_NAME']]);
  t.same(
    findPhi(text, { infoTypes: ['PERSON_NAME'] }).map((f) => [text.slice(f.start, f.end), f.infoType]),
    [['John A. Smith', 'PERSON_NAME'], ['Grace', 'PERSON_NAME']],
    'no split unless a part is named',
  );
  t.same(findPhi(text, { infoTypes: ['FIRST_NAME'] }).map((f) => f.infoType), ['FIRST_NAME', 'FIRST_NAME'], 'naming a part turns the split on');
  t.same(
    findPhi(text, { excludeInfoTypes: ['LAST_NAME'] }).map((f) => [text.slice(f.start, f.end), f.infoType]),
    [['John', 'FIRST_NAME'], ['A.', 'PERSON_NAME'], ['Grace', 'FIRST_NAME']],
    'excluding LAST_NAME keeps the rest of the name',
  );
  t.same(findPhi(text, { excludeInfoTypes: ['PERSON_NAME'] }), [], 'excluding the parent excludes its parts');
});

t.test('adversarial: no name, initials only, odd spacing, huge input', async (t) => {
  t.same(parts(''), []);
  t.same(parts('Pt alert, MAE. Chest wall pain. Foley draining.'), []);
  t.same(parts('Dr. A. aware'), [], 'a lone initial is not a name');
  const long = 'Seen by Dr. John A. Smith. '.repeat(2000);
  const f = parts(long);
  t.equal(f.length, 6000);
  t.ok(f.every(([q], i) => q === ['John', 'A.', 'Smith'][i % 3]));
  t.same(parts('Marotta,  \t Philomena Jane'), [['Marotta', 'LAST_NAME'], ['Philomena', 'FIRST_NAME'], ['Jane', 'LAST_NAME']], 'a wide gap is not the surname-first comma');
});

/**
 * presidio-research sentences come from templates (templates.txt, line =
 * template_id + 1) whose placeholders say which PERSON spans are given names
 * ({{first_name}}) and which surnames ({{last_name}}).
 */
t.test('presidio-research: parts agree with the template placeholders', async (t) => {
  const docs = loadPresidio();
  const raw = JSON.parse(readFileSync(path.join(TEXT_PHI_DIR, 'presidio-research', 'synth_dataset_v2.json'), 'utf8')) as { template_id: number }[];
  const templates = readFileSync(path.join(TEXT_PHI_DIR, 'presidio-research', 'templates.txt'), 'utf8').split('\n');
  const score = { FIRST_NAME: { right: 0, wrong: 0 }, LAST_NAME: { right: 0, wrong: 0 } };
  docs.forEach((d, i) => {
    const placeholders = [...(templates[raw[i]!.template_id] ?? '').matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!).filter((p) => /name|person/.test(p));
    const kind = placeholders.length === 0 ? undefined : placeholders.every((p) => p.startsWith('first_name')) ? 'FIRST_NAME' : placeholders.every((p) => p.startsWith('last_name')) ? 'LAST_NAME' : undefined;
    if (!kind) return;
    const found = findPhi(d.text, { infoTypes: ['FIRST_NAME', 'LAST_NAME'] });
    for (const g of d.gold.filter((s) => s.type === 'PERSON')) {
      const hit = found.filter((f) => f.start < g.end && g.start < f.end);
      if (hit.length === 0) continue;
      if (hit.every((f) => f.infoType === kind)) score[kind].right++;
      else score[kind].wrong++;
    }
  });
  for (const [kind, s] of Object.entries(score)) {
    const n = s.right + s.wrong;
    t.ok(n >= 50, `${kind}: ${n} gold spans found`);
    t.ok(s.right / n >= 0.8, `${kind}: ${s.right}/${n} typed right`);
  }
});
