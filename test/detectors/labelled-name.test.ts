import t from 'tap';
import { labelledNameDetector } from '../../src/detectors/labelled-name.js';
import { findPhi } from '../../src/text/find-phi.js';
import { quotes } from './run-detector.js';

// Names where a form or a header puts them were missed: after a label, and
// LAST, FIRST in capitals after "patient" in text that is not shouted.
t.test('a name after a label, in every form a header writes it', async (t) => {
  const text = [
    'Patient: SMITH, JOHN',
    'Name: QUARTERFIELD, ZELPHINA',
    'Patient Name: Garcia, Maria',
    'RE: JOHNSON, ROBERT',
    "Mother's name: Ovemu Taziret.",
    'Patient: Zelphina Quarterfield DOB 1/2/50',
    'Emergency contact: Grace Wall',
  ].join('\n');
  t.same(quotes(labelledNameDetector, text), ['SMITH', 'JOHN', 'QUARTERFIELD', 'ZELPHINA', 'Garcia', 'Maria', 'JOHNSON', 'ROBERT', 'Ovemu Taziret', 'Zelphina Quarterfield', 'Grace Wall'], 'LAST, FIRST as its two sides');
});

t.test('LAST, FIRST in capitals after patient or pt, particles included', async (t) => {
  t.same(quotes(labelledNameDetector, 'patient DE LA CRUZ, MARIA seen today. Pt SMITH, JOHN A. admitted.'), ['DE LA CRUZ', 'MARIA', 'SMITH', 'JOHN A.']);
});

t.test('labels followed by no name: states, drugs, abbreviations, departments', async (t) => {
  const text = 'Patient: Stable, afebrile. Name: Lisinopril 10 mg. pt AOx3, NAD. patient CHF, COPD stable. RE: Follow up. Pt: Alert and oriented. Pt: NPO after MN. Patient: Tolerating PO. RE: CXR results. Attn: Billing Dept. patient Smith, John (mixed case without a label is left to the name rules)';
  t.same(quotes(labelledNameDetector, text), []);
});

t.test('found and replaced in free text', async (t) => {
  const text = 'Patient: QUARTERFIELD, ZELPHINA\nSeen for follow up.';
  t.same(findPhi(text).map((f) => [text.slice(f.start, f.end), f.infoType]), [['QUARTERFIELD', 'PERSON_NAME'], ['ZELPHINA', 'PERSON_NAME']]);
});

t.test('in a shouted note, capitals after PT are no name', async (t) => {
  t.same(quotes(labelledNameDetector, 'PT INITALLY ACIDOTIC, VENT CHANGES MADE. PT AWAKE, ALERT. NEURO INTACT.'), []);
});

t.test('a relation written before the name is not part of it', async (t) => {
  t.same(quotes(labelledNameDetector, 'LEGAL GUARDIAN: Niece, Patricia WAITE, lives in California.'), ['Patricia WAITE']);
});
