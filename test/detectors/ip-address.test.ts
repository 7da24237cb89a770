import t from 'tap';
import { ipv4Detector, ipv6Detector, macDetector } from '../../src/detectors/ip-address.js';
import { quotes } from './run-detector.js';

t.test('IPv4 with valid octets only', async (t) => {
  t.same(quotes(ipv4Detector, 'from 195.206.132.199 not 256.1.1.1 nor 1.2.3.4.5'), ['195.206.132.199']);
});

t.test('IPv6 full and compressed; times are not addresses', async (t) => {
  t.same(quotes(ipv6Detector, 'host 6e40:4041:c617:e898:c11:40d2:c669:2eb4 and fe80::1 at 10:30:00'), ['6e40:4041:c617:e898:c11:40d2:c669:2eb4', 'fe80::1']);
});

t.test('MAC addresses', async (t) => {
  t.same(quotes(macDetector, 'nic 00:1A:2b:3C:4d:5E and 00-1A-2B-3C-4D-5E, not 00:1A:2B'), ['00:1A:2b:3C:4d:5E', '00-1A-2B-3C-4D-5E']);
});
