import t from 'tap';
import { phoneDetector } from '../../src/detectors/phone.js';
import { run, quotes } from './run-detector.js';

t.test('NANP formats, with extensions', async (t) => {
  t.same(quotes(phoneDetector, 'call (410) 555-1234 or 410.555.9876, 1-800-555-0199 x123'), ['(410) 555-1234', '410.555.9876', '1-800-555-0199 x123']);
});

t.test('fax context makes FAX', async (t) => {
  const f = run(phoneDetector, 'Fax: 410-555-9999; phone 410-555-1111');
  t.same(f.map((x) => [x.quote, x.infoType]), [['410-555-9999', 'FAX'], ['410-555-1111', 'PHONE_NUMBER']]);
});

t.test('international and national grouped numbers (presidio-research shapes)', async (t) => {
  t.same(quotes(phoneDetector, 'tel +44 20 7946 0958 and 0490 39 07 81'), ['+44 20 7946 0958', '0490 39 07 81']);
});

t.test('pager numbers only with a context word', async (t) => {
  t.same(quotes(phoneDetector, 'pager #12345'), ['12345']);
  t.same(quotes(phoneDetector, 'WBC 12345 cells'), []);
});

t.test('shift ranges, bare 10-digit runs and lab values are not phones', async (t) => {
  t.same(quotes(phoneDetector, 'shift 0700-1900, BP 120/80, K 3.9, id 4105551234'), []);
});

t.test('pager numbers with a dash, bare seven digits after a phone word, spaced dashes, two numbers joined by a slash', async (t) => {
  t.same(quotes(phoneDetector, 'beeper 3-4417; page #7-2290; phone 8627713; wife (617) 443 - 2190; dtr 301-555-0142/301-555-0177.'), [
    '3-4417',
    '7-2290',
    '8627713',
    '(617) 443 - 2190',
    '301-555-0142',
    '301-555-0177',
  ]);
  // blood gases, ratios, ranges and dates stay out
  t.same(quotes(phoneDetector, 'ABG 7.38-33-169, bp 120/80, 5-7090 units, rr 1-2345? sats 95/100 on 3/15/2024'), []);
});

t.test('seven-digit local numbers without a phone word; ranges of values are not', async (t) => {
  t.same(quotes(phoneDetector, 'call wife 623-4417 tonight, sister 338-9021.'), ['623-4417', '338-9021']);
  t.same(quotes(phoneDetector, 'UO 500-1000 cc, plt 200-1500, shift 730-1530, SVR 954-1183; CVP 9-13'), []);
  t.same(quotes(phoneDetector, 'dose 250-1000 mg, 300-4000/day'), []);
});

t.test('an extension glued to its x, only after a phone word', async (t) => {
  t.same(quotes(phoneDetector, 'pager x4417 for questions; call x2290; beeper #x12345'), ['4417', '2290', '12345']);
  t.same(quotes(phoneDetector, 'lasix x1000 given, NS x1000, wbc x1000'), []);
});

t.test('an extension glued to its x that goes on from another number of a list', async (t) => {
  t.same(quotes(phoneDetector, 'call ext. 1234 or x1235; pager 4-1234 or x2345; x4417 and x4418'), ['1234', '4-1234', '1235', '2345', '4418']);
  t.same(quotes(phoneDetector, 'gave 20 or x1000 ml, K 3.5 and x1234, 2/14 or x1000, 10:30 or x1000'), []);
});

t.test('more phone words and forms: ph#, h:/w: labels, a slash after the area code, seven digits after any phone word', async (t) => {
  t.same(quotes(phoneDetector, "ph# 555-1212; h:4105551234; 617/555-1212; wife's number 8627713; call 3-2290 with questions"), [
    '555-1212',
    '4105551234',
    '617/555-1212',
    '8627713',
    '3-2290',
  ]);
  t.same(quotes(phoneDetector, 'call at 2130; BP 120/80-130/90; at 1930 pt was turned; 4108370046 alone'), []);
});

t.test('phone words a few words before the number; five-digit extensions after a calling verb', async (t) => {
  t.same(quotes(phoneDetector, 'call her at 5551234567; contact # is 555-1212; h) 555-1212; reach at 555-1212; call 55512 for questions'), ['5551234567', '555-1212', '555-1212', '555-1212', '55512']);
  // times after calling verbs, counts, lot numbers
  t.same(quotes(phoneDetector, 'call 2130 for, called at 1530 by, call her at 0800, call family at 1900, contact # is 2, lot #12345, number is 12 breaths'), []);
});

t.test('a relative right before a local number; "reached @"', async (t) => {
  t.same(quotes(phoneDetector, "wife 555-1212; dtr @ 555-1212; pt's wife: 555-1212; family 555-1212; can be reached @ 555-1212"), [
    '555-1212',
    '555-1212',
    '555-1212',
    '555-1212',
    '555-1212',
  ]);
  t.same(quotes(phoneDetector, 'UO 500-1000 cc; TF @ 800-1200; son 2-3 times'), []);
});

t.test('p#, paged at, call back at; extensions x4-1234 and ext1234', async (t) => {
  t.same(quotes(phoneDetector, 'p#1234, p# 12345, paged at 4-1234, call back at 55512, please call x4-1234, ext1234'), ['1234', '12345', '4-1234', '55512', '4-1234', '1234']);
  t.same(quotes(phoneDetector, 'bp #1234, lasix x4-1000, next1234'), []);
});

t.test('a calling verb, who is called, then "at" and the number', async (t) => {
  t.same(quotes(phoneDetector, 'pls call RN at 4-1234; page the fellow @ 555-0199'), ['4-1234', '555-0199']);
  t.same(quotes(phoneDetector, 'call HO at 0800-1200; call md at 2130; call ho at 100-120'), []);
});
