import t from 'tap';
import { expectFound as found, expectLeftAlone as leftAlone } from './marked-phi.js';

/**
 * Round 9: rules meant to generalise beyond the notes they were checked on.
 * Invented sentences; [[x]] must be found (a finding of one of the kinds
 * overlapping it), {{x}} must not be overlapped by any finding. Made-up words
 * (Hovak, Kelvard) stand for names no list holds.
 */
t.test('phone numbers a few words after a paging or calling word, or after a clinician named', async (t) => {
  found(
    t,
    [
      'Page Dr Lindquist at [[32145]] with results.',
      'paged Dr. Hovak [[4-1234]], no call back yet.',
      'page covering MD at [[12345]] for questions',
      'Please page RN Lee [[#12345]]',
      'called Dr Hovak @ [[4-1234]]',
      'reach her on [[555-1212]] after 5.',
      'Contact: Bob [[555-1212]]',
      'Dr. Hovak ([[4-1234]]) aware of labs.',
      'Dr Hovak [[x4-1234]]',
      'SW Mary Fole [[4-1234]] following.',
      'tele [[555-1212]]',
      'phone number: [[617 - 555 - 1212]]',
      'call 555-1212 ext [[204]]',
      'Call [[555-1212]] x[[22]]',
      'Please call Dr. Kelvard at [[617-555-1212]] extension [[45]]',
      'daughter Lyn [[4105551212]]',
      'wife: Ann Kelvard [[555-1212]]',
      'HCP is niece, Mary Hovak, [[555 1212]]',
    ],
    ['PHONE_NUMBER'],
  );
});

t.test('numbers near paging words and clinicians that are no phone numbers', async (t) => {
  leftAlone(t, [
    'called Dr Hovak at {{1400}} re K {{3.1}}',
    'paged HO re UO {{20cc}}, BP {{80/40}}',
    'call HO for SBP {{>160}} or HR {{<50}}',
    'contact precautions, WBC {{12500}}',
    'Dr. Hovak {{2-3 times}}',
    'Dr Hovak ordered {{1-2 units}} PRBC',
    'page resident if UO {{<30cc/hr}} x2',
    'called NP at {{0330}}, aware',
    'called lab re sample {{#12}}',
    'Dr Hovak aware of {{3-4000}} cc out',
    'paging system down {{1200-1400}}',
    'called blood bank, {{2 units}} ready in {{1-2 hours}}',
    'phone call from dtr at {{1830}}',
    'resident Dr Lee {{2-4mg}} mso4',
    'Dr Ames {{12-14}} breaths',
    'TV {{500 x 14}}, ext {{2}} times',
    'wife here, I/O {{1000-1500}} cc',
    'son visited {{0800-1200}}',
    'daughter Lyn, Hct {{25.1}}, plt {{150-250}}',
    'son aware, WBC {{12.5}} and {{2-3 units}} given',
  ]);
});
