import t from 'tap';
import { ssnDetector } from '../../src/detectors/ssn.js';
import { run, quotes } from './run-detector.js';

t.test('dashed SSNs are found; invalid areas are not', async (t) => {
  t.same(quotes(ssnDetector, 'SSN 791-10-5487, bad 666-12-3456 and 000-12-3456'), ['791-10-5487']);
});

t.test('nine bare digits need an SSN context word', async (t) => {
  t.same(quotes(ssnDetector, 'social security number: 791105487'), ['791105487']);
  t.same(quotes(ssnDetector, 'order 791105487'), []);
});

t.test('context raises likelihood', async (t) => {
  t.equal(run(ssnDetector, 'SSN: 791-10-5487')[0]!.likelihood, 'VERY_LIKELY');
  t.equal(run(ssnDetector, 'ref 791-10-5487')[0]!.likelihood, 'LIKELY');
});
