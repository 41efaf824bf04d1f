// The shared destination rule (parseDestination) and the sender rule (parseAddress).
import { describe, expect, it } from 'vitest';
import { parseAddress, parseDestination } from '../src/address.js';

describe('parseDestination', () => {
  it('normalises numbers as spreadsheets write them to international digits, TON 1 / NPI 1', () => {
    const intl = (addr: string) => ({ addr, ton: 1, npi: 1 });
    expect(parseDestination('4790000001')).toEqual(intl('4790000001'));
    expect(parseDestination('+47 900 00 002')).toEqual(intl('4790000002'));
    expect(parseDestination('47 900 00 002')).toEqual(intl('4790000002'));
    expect(parseDestination('(479) 000-0003')).toEqual(intl('4790000003'));
    expect(parseDestination('0047 900 00 004')).toEqual(intl('4790000004'));
    expect(parseDestination(' +47.900.00.005 ')).toEqual(intl('4790000005'));
    // national format with a country
    expect(parseDestination('900 00 002', { country: 'NO' })).toEqual(intl('4790000002'));
    expect(parseDestination('4790000002', { country: 'no' })).toEqual(intl('4790000002'));
    expect(parseDestination('030 1234567', { country: 'DE' })).toEqual(intl('49301234567'));
  });

  it('refuses letters and stray characters, naming the value and the expected format', () => {
    expect(() => parseDestination('4790000001x')).toThrow(
      /destination '4790000001x' is not a phone number: 'x' is not a digit \(expected an international number, country code first/,
    );
    expect(() => parseDestination('ABCDEFGHIJKL')).toThrow(/destination 'ABCDEFGHIJKL' is not a phone number/);
    expect(() => parseDestination('47+900')).toThrow(/is not a phone number/);
    expect(() => parseDestination('', { field: 'row 3: to' })).toThrow(/row 3: to is empty/);
  });

  it('refuses numbers invalid for their country, suggesting --country for national ones', () => {
    expect(() => parseDestination('+4712345678')).toThrow(
      /'\+4712345678' is not a valid number for country code \+47 \(expected/,
    );
    expect(() => parseDestination('90000002')).toThrow(/give --country for numbers written nationally/);
    expect(() => parseDestination('+4479000001')).toThrow(/not a valid number for country code \+44/);
  });

  it('short codes only when allowed', () => {
    expect(() => parseDestination('1234')).toThrow(
      /'1234' looks like a short code, and short codes are not allowed here/,
    );
    expect(parseDestination('1234', { allowShortCodes: true })).toEqual({ addr: '1234', ton: 3, npi: 0 });
    expect(() => parseDestination('12', { allowShortCodes: true })).toThrow(/fewer than 3 digits/);
    expect(() => parseDestination('+1234', { allowShortCodes: true })).toThrow(/not/);
  });

  it('lenient: lengths only (made-up load-test ranges)', () => {
    expect(parseDestination('4712345678', { lenient: true })).toEqual({ addr: '4712345678', ton: 1, npi: 1 });
    expect(() => parseDestination('4712345678')).toThrow(/not a valid number/);
  });
});

describe('parseAddress (senders)', () => {
  it('keeps its rules: alphanumeric up to 11, digits international or short', () => {
    expect(parseAddress('ACME', 'from')).toEqual({ addr: 'ACME', ton: 5, npi: 0 });
    expect(parseAddress('4790000001', 'from')).toEqual({ addr: '4790000001', ton: 1, npi: 1 });
    expect(() => parseAddress('ACMECORPORATION', 'from')).toThrow(
      /15 characters, an alphanumeric sender has at most 11/,
    );
  });
});
