// Addresses: a string becomes { addr, ton, npi } by the usual conventions, or the caller gives them.
import { Npi, Ton } from '@smppkit/core';
import { type CountryCode, type PhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js';
import { ConfigError } from './errors.js';

export interface Address {
  addr: string;
  ton?: number;
  npi?: number;
}

/**
 * '+4790000001' or '4790000001' (8+ digits) → international/ISDN; up to 7 digits → network-specific short code
 * (TON 3, NPI 0); anything with letters → alphanumeric (TON 5, NPI 0, max 11 characters).
 */
export function parseAddress(input: string | Address, field: string): Required<Address> {
  const a = typeof input === 'string' ? { addr: input } : input;
  if (typeof a.addr !== 'string' || a.addr === '') throw new ConfigError(`${field} is empty`);
  let addr = a.addr.trim();
  let ton = a.ton;
  let npi = a.npi;
  if (/^\+?\d+$/.test(addr)) {
    const digits = addr.replace(/^\+/, '');
    if (ton === undefined) ton = addr.startsWith('+') || digits.length >= 8 ? Ton.INTERNATIONAL : Ton.NETWORK_SPECIFIC;
    if (npi === undefined) npi = ton === Ton.INTERNATIONAL ? Npi.ISDN : Npi.UNKNOWN;
    addr = digits;
  } else {
    if (ton === undefined) ton = Ton.ALPHANUMERIC;
    if (npi === undefined) npi = Npi.UNKNOWN;
    if (ton === Ton.ALPHANUMERIC && addr.length > 11)
      throw new ConfigError(`${field} '${addr}' is ${addr.length} characters, an alphanumeric sender has at most 11`);
  }
  if (addr.length > 20) throw new ConfigError(`${field} '${addr}' is ${addr.length} characters, max 20`);
  if (!/^[\x20-\x7e]*$/.test(addr))
    throw new ConfigError(`${field} '${addr}' contains characters outside printable ASCII`);
  return { addr, ton, npi };
}

export interface DestinationOptions {
  /** ISO 3166 country (e.g. 'NO') for numbers written nationally: '900 00 002' → 4790000002. */
  country?: string;
  /** Accept short codes (3–8 digits, no +): TON 3 (network specific), NPI 0. */
  allowShortCodes?: boolean;
  /** Check the number's length for its country only, not the numbering plan (load tests to made-up ranges). */
  lenient?: boolean;
  /** How to name the value in an error (default 'destination'). */
  field?: string;
}

/** The formats a destination is accepted in, for error messages. */
function expected(o: DestinationOptions): string {
  const national = o.country ? `, or national for ${o.country.toUpperCase()}` : '';
  const short = o.allowShortCodes ? ', or a short code of 3–8 digits' : '';
  return `expected an international number, country code first (4790000001, +47 900 00 001, (479) 000-0001)${national}${short}`;
}

/**
 * The shared destination rule. Digits as spreadsheets write them ('47 900 00 002', '(479) 000-0003',
 * '+47 900 00 002', '0047…') become international digits with TON 1 / NPI 1 when a '+' (or 00) is given or
 * a country is known; without either, digits that form a valid international number are read as one. Letters,
 * stray characters, numbers invalid for their country and (unless allowed) short codes are refused with a
 * message naming the value and the expected format. `parseAddress` stays the rule for senders.
 */
export function parseDestination(input: string, o: DestinationOptions = {}): Required<Address> {
  const field = o.field ?? 'destination';
  const raw = typeof input === 'string' ? input.trim() : '';
  if (raw === '') throw new ConfigError(`${field} is empty (${expected(o)})`);
  if (!/^\+?[\d\s().\-/]+$/.test(raw)) {
    const bad = raw.replace(/^\+/, '').match(/[^\d\s().\-/]/)?.[0];
    throw new ConfigError(`${field} '${raw}' is not a phone number: '${bad}' is not a digit (${expected(o)})`);
  }
  let digits = raw.replace(/[\s().\-/]/g, '');
  let plus = digits.startsWith('+');
  if (plus) digits = digits.slice(1);
  else if (digits.startsWith('00') && digits.length > 8) {
    plus = true;
    digits = digits.slice(2);
  }
  if (digits.includes('+') || digits === '')
    throw new ConfigError(`${field} '${raw}' is not a phone number (${expected(o)})`);
  if (!plus && digits.length <= 8 && !o.country) {
    if (o.allowShortCodes && digits.length >= 3) return { addr: digits, ton: Ton.NETWORK_SPECIFIC, npi: Npi.UNKNOWN };
    if (digits.length <= 6) {
      throw new ConfigError(
        `${field} '${raw}' looks like a short code${o.allowShortCodes ? ' but has fewer than 3 digits' : ', and short codes are not allowed here'} (${expected(o)})`,
      );
    }
  }
  const ok = (p: PhoneNumber | undefined): boolean => p !== undefined && (o.lenient ? p.isPossible() : p.isValid());
  const country = o.country ? (o.country.toUpperCase() as CountryCode) : undefined;
  let p: PhoneNumber | undefined;
  if (plus) p = parsePhoneNumberFromString(`+${digits}`);
  else {
    if (country) {
      p = parsePhoneNumberFromString(digits, country);
      if (!ok(p)) p = parsePhoneNumberFromString(`+${digits}`);
    } else p = parsePhoneNumberFromString(`+${digits}`);
  }
  if (!ok(p)) {
    if (!plus && o.allowShortCodes && digits.length >= 3 && digits.length <= 8)
      return { addr: digits, ton: Ton.NETWORK_SPECIFIC, npi: Npi.UNKNOWN };
    const why = p
      ? `not a valid number for country code +${p.countryCallingCode}`
      : "not a number in any country's plan";
    const hint = !plus && !country ? '; give --country for numbers written nationally' : '';
    throw new ConfigError(`${field} '${raw}' is ${why} (${expected(o)}${hint})`);
  }
  const addr = p!.number.slice(1);
  return { addr, ton: Ton.INTERNATIONAL, npi: Npi.ISDN };
}
