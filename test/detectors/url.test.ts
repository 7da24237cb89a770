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
