import t from 'tap';
import { loadPhysionet, loadPresidio, splitByPatient } from '../../eval/text/corpora.js';
import { evaluate } from '../../eval/text/metrics.js';
import { genericPredictor, sitePredictor } from '../../eval/text/predictors.js';

/**
 * Scores computed from the gold annotations of a slice of the real corpora
 * (../shared/data/text-phi). The floors sit a little under what the
 * detectors reach, so a regression in any detector shows up here. Only the
 * development half of PhysioNet is used: the held-out test half is scored by
 * `npm run eval:text` alone, never by a test run.
 */
t.test('PhysioNet development half, first 400 notes', async (t) => {
  const docs = splitByPatient(loadPhysionet()).dev.slice(0, 400);
  t.ok(docs.reduce((n, d) => n + d.gold.length, 0) > 100, 'the slice holds enough gold PHI');
  const generic = evaluate(docs, genericPredictor());
  t.ok(generic.overlap.recall >= 0.94, `generic recall ${generic.overlap.recall.toFixed(3)} >= 0.94`);
  t.ok(generic.overlap.precision >= 0.92, `generic precision ${generic.overlap.precision.toFixed(3)} >= 0.92`);
  const site = evaluate(docs, sitePredictor());
  t.ok(site.overlap.recall >= 0.96, `with site lists recall ${site.overlap.recall.toFixed(3)} >= 0.96`);
  t.ok(site.overlap.precision >= 0.92, `with site lists precision ${site.overlap.precision.toFixed(3)} >= 0.92`);
  const names = site.byPredictedType.PERSON_NAME?.precision ?? 0;
  t.ok(names >= 0.92, `PERSON_NAME precision ${names.toFixed(3)} >= 0.92`);
  t.ok(site.overlap.recall > generic.overlap.recall, 'site lists and patient context add recall');
  t.ok((site.byGoldType.Date?.recall ?? 0) >= 0.97, 'dates');
});

t.test('presidio-research synthetic sentences, first 500', async (t) => {
  const r = evaluate(loadPresidio().slice(0, 500), genericPredictor());
  t.ok(r.overlap.precision >= 0.95, `precision ${r.overlap.precision.toFixed(3)} >= 0.95`);
  t.ok(r.overlap.recall >= 0.65, `recall ${r.overlap.recall.toFixed(3)} >= 0.65`);
  for (const type of ['EMAIL_ADDRESS', 'US_SSN', 'IP_ADDRESS', 'IBAN_CODE']) {
    const s = r.byGoldType[type];
    if (s) t.ok(s.recall >= 0.9, `${type} recall ${s.recall.toFixed(3)}`);
  }
});
