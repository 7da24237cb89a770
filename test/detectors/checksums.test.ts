import t from 'tap';
import { deaValid, ibanValid, luhnValid, npiValid, ssnStructureValid, vinCheckValid } from '../../src/detectors/checksums.js';

t.test('Luhn: ISO/IEC 7812 test numbers pass, a changed digit fails', async (t) => {
  for (const n of ['4111111111111111', '5500000000000004', '340000000000009', '6011000000000004', '79927398713']) {
    t.ok(luhnValid(n), n);
    const last = Number(n.at(-1));
    t.notOk(luhnValid(n.slice(0, -1) + String((last + 1) % 10)), `${n} with a wrong check digit`);
  }
  t.notOk(luhnValid('4111-1111'), 'separators are not digits');
  t.notOk(luhnValid(''), 'empty');
});

t.test('NPI: CMS check digit over 80840 + number', async (t) => {
  // CMS's own worked example: 123456789 -> check digit 3.
  t.ok(npiValid('1234567893'));
  t.notOk(npiValid('1234567890'));
  t.notOk(npiValid('3234567893'), 'NPIs start with 1 or 2');
  t.notOk(npiValid('123456789'), 'ten digits');
});

t.test('DEA: (d1+d3+d5) + 2(d2+d4+d6) ends in d7', async (t) => {
  t.ok(deaValid('AB1234563'));
  t.notOk(deaValid('AB1234564'));
  t.ok(deaValid('A91234563'), 'second character may be 9');
  t.notOk(deaValid('1B1234563'));
});

t.test('IBAN: length per country and MOD 97-10', async (t) => {
  for (const iban of ['GB82WEST12345698765432', 'DE89370400440532013000', 'FR1420041010050500013M02606', 'gb82 west 1234 5698 7654 32']) {
    t.ok(ibanValid(iban), iban);
  }
  t.notOk(ibanValid('GB82WEST12345698765433'), 'wrong check');
  t.notOk(ibanValid('DE8937040044053201300'), 'wrong length for DE');
  t.notOk(ibanValid('ZZ'), 'too short');
});

t.test('VIN: 49 CFR 565 check digit in position 9', async (t) => {
  t.ok(vinCheckValid('1M8GDM9AXKP042788'));
  t.ok(vinCheckValid('11111111111111111'));
  t.notOk(vinCheckValid('1M8GDM9A1KP042788'));
  t.notOk(vinCheckValid('1M8GDM9AXKP04278O'), 'O is not allowed');
});

t.test('SSN structure: SSA never issues area 000/666/9xx, group 00, serial 0000', async (t) => {
  t.ok(ssnStructureValid('123', '45', '6789'));
  t.notOk(ssnStructureValid('000', '45', '6789'));
  t.notOk(ssnStructureValid('666', '45', '6789'));
  t.notOk(ssnStructureValid('912', '45', '6789'));
  t.notOk(ssnStructureValid('123', '00', '6789'));
  t.notOk(ssnStructureValid('123', '45', '0000'));
});
