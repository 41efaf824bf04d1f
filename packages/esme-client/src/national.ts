// National language shift tables (3GPP TS 23.038 §6.2.1.2.4) by ISO 639-1 code, for the `national` option and
// `esme send --national`: the languages whose GSM 7-bit tables the encoding package has.
import { languageTables } from '@smppkit/encoding';
import { ConfigError } from './errors.js';

/** ISO 639-1 code → national language identifier. */
export const NATIONAL_LANGUAGES = {
  tr: 1,
  es: 2,
  pt: 3,
  bn: 4,
  gu: 5,
  hi: 6,
  kn: 7,
  ml: 8,
  or: 9,
  pa: 10,
  ta: 11,
  te: 12,
  ur: 13,
} as const;

export type NationalCode = keyof typeof NATIONAL_LANGUAGES;

/** 'tr', 'tr,es', ['tr', 'es'] or 'all' → the codes, checked; a wrong code is an error naming it and the known ones. */
export function parseNational(value: unknown, name = 'national'): NationalCode[] {
  if (value === undefined || value === false || value === '') return [];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
  const out: NationalCode[] = [];
  for (const raw of list) {
    const code = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
    if (code === 'all') {
      for (const c of Object.keys(NATIONAL_LANGUAGES) as NationalCode[]) if (!out.includes(c)) out.push(c);
      continue;
    }
    if (typeof code !== 'string' || !(code in NATIONAL_LANGUAGES)) {
      throw new ConfigError(
        `${name} '${String(raw)}' is not one of ${Object.keys(NATIONAL_LANGUAGES).join(', ')} or all`,
      );
    }
    if (!out.includes(code as NationalCode)) out.push(code as NationalCode);
  }
  return out;
}

/** Codes → the language ids the encoding package takes (each one checked to have tables). */
export function nationalIds(codes: readonly NationalCode[]): number[] {
  return codes.map((c) => {
    const id = NATIONAL_LANGUAGES[c];
    if (!languageTables(id))
      throw new ConfigError(`national '${c}': the encoding package has no tables for language ${id}`);
    return id;
  });
}
