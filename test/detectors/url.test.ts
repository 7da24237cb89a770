import t from 'tap';
import { urlDetector } from '../../src/detectors/url.js';
import { quotes } from './run-detector.js';

t.test('scheme, www and bare domains; trailing punctuation excluded', async (t) => {
  t.same(quotes(urlDetector, 'see https://www.LiveAnchor.com.cy/a?b=1. or www.example.org, or PoolVendor.com, or http://PoolVendor.be/'), [
    'https://www.LiveAnchor.com.cy/a?b=1',
    'www.example.org',
    'PoolVendor.com',
    'http://PoolVendor.be/',
  ]);
});

t.test('emails, decimals and sentence ends in notes are not URLs', async (t) => {
  t.same(quotes(urlDetector, 'j@example.com, 2.5 mg, e.g. this, pt asleep.PT turned, HELD.NO more, 15.tv'), []);
});

t.test('data: URLs, whole however long; "data:" in prose is not one', async (t) => {
  const long = 'A'.repeat(100_000) + '==';
  t.same(quotes(urlDetector, `img data:image/png;base64,${long}. and data:,Hello%20World; and DATA:text/plain;charset=utf-8;base64,SGk=`), [
    `data:image/png;base64,${long}`,
    'data:,Hello%20World',
    'DATA:text/plain;charset=utf-8;base64,SGk=',
  ]);
  t.same(quotes(urlDetector, 'data: 5 units, metadata:x, data:image/png without a comma'), []);
});
