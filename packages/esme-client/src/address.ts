// Addresses: a string becomes { addr, ton, npi } by the usual conventions, or the caller gives them.
import { Npi, Ton } from '@smppkit/core';
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
    if (ton === Ton.ALPHANUMERIC && addr.length > 11) throw new ConfigError(`${field} '${addr}' is ${addr.length} characters, an alphanumeric sender has at most 11`);
  }
  if (addr.length > 20) throw new ConfigError(`${field} '${addr}' is ${addr.length} characters, max 20`);
  if (!/^[\x20-\x7e]*$/.test(addr)) throw new ConfigError(`${field} '${addr}' contains characters outside printable ASCII`);
  return { addr, ton, npi };
}
