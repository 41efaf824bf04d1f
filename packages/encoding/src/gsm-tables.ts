/**
 * The GSM 7-bit character tables of 3GPP TS 23.038: the default alphabet (§6.2.1), its extension table
 * (§6.2.1.1), and the national language locking-shift (Annex A.3) and single-shift (Annex A.2) tables.
 *
 * A locking-shift table replaces the whole default alphabet; a single-shift table replaces the extension
 * table reached through ESC (0x1B). Locking tables are written as 8 rows of 16 septets; ESC marks 0x1B and
 * UNDEF marks a reserved position. Single-shift tables list only their defined septets.
 */

import { type HexTable, INDIC_TABLES } from './gsm-tables-indic.js';

export const ESC = 0x1b;
const E = '\u{FFFF}'; // the escape position in a locking table
const U = '\u{FFFE}'; // a reserved position in a locking table

export interface LanguageTables {
  /** National language identifier (IEI 0x24/0x25 value); 0 = the default GSM alphabet. */
  id: number;
  name: string;
  /** 128 characters, septet order; undefined when the language has no locking-shift table. */
  locking?: string;
  /** septet (after ESC) → character; undefined when the language has no single-shift table. */
  single?: Readonly<Record<number, string>>;
}

function locking(rows: string[]): string {
  const s = rows.join('');
  if ([...s].length !== 128) throw new Error(`locking table has ${[...s].length} entries, expected 128`);
  return s;
}

/** 3GPP TS 23.038 §6.2.1: the GSM 7-bit default alphabet. 0x09 is capital Ç as in the spec (not GSM0338.TXT's ç). */
const DEFAULT_LOCKING = locking([
  '@£$¥èéùìòÇ\nØø\rÅå',
  `Δ_ΦΓΛΩΠΨΣΘΞ${E}ÆæßÉ`,
  ' !"#¤%&\'()*+,-./',
  '0123456789:;<=>?',
  '¡ABCDEFGHIJKLMNO',
  'PQRSTUVWXYZÄÖÑÜ§',
  '¿abcdefghijklmno',
  'pqrstuvwxyzäöñüà',
]);

/** §6.2.1.1: the extension table. 0x0D (CR2) and 0x1B (SS2) have no character and are left out. */
const DEFAULT_SINGLE: Record<number, string> = {
  0x0a: '\f',
  0x14: '^',
  0x28: '{',
  0x29: '}',
  0x2f: '\\',
  0x3c: '[',
  0x3d: '~',
  0x3e: ']',
  0x40: '|',
  0x65: '€',
};

/** Characters every Latin single-shift table shares with the default extension table. */
const LATIN_SINGLE_BASE: Record<number, string> = {
  0x0a: '\f',
  0x14: '^',
  0x28: '{',
  0x29: '}',
  0x2f: '\\',
  0x3c: '[',
  0x3d: '~',
  0x3e: ']',
  0x40: '|',
  0x65: '€',
};

/** A.3.1 Turkish locking shift. */
const TURKISH_LOCKING = locking([
  '@£$¥€éùıòÇ\nĞğ\rÅå',
  `Δ_ΦΓΛΩΠΨΣΘΞ${E}ŞşßÉ`,
  ' !"#¤%&\'()*+,-./',
  '0123456789:;<=>?',
  'İABCDEFGHIJKLMNO',
  'PQRSTUVWXYZÄÖÑÜ§',
  'çabcdefghijklmno',
  'pqrstuvwxyzäöñüà',
]);

/** A.2.1 Turkish single shift. */
const TURKISH_SINGLE: Record<number, string> = {
  ...LATIN_SINGLE_BASE,
  0x47: 'Ğ',
  0x49: 'İ',
  0x53: 'Ş',
  0x63: 'ç',
  0x67: 'ğ',
  0x69: 'ı',
  0x73: 'ş',
};

/** A.2.2 Spanish single shift (Spanish has no locking-shift table: A.3.2 is void). */
const SPANISH_SINGLE: Record<number, string> = {
  ...LATIN_SINGLE_BASE,
  0x09: 'ç',
  0x41: 'Á',
  0x49: 'Í',
  0x4f: 'Ó',
  0x55: 'Ú',
  0x61: 'á',
  0x69: 'í',
  0x6f: 'ó',
  0x75: 'ú',
};

/** A.3.3 Portuguese locking shift. */
const PORTUGUESE_LOCKING = locking([
  '@£$¥êéúíóç\nÔô\rÁá',
  `Δ_ªÇÀ∞^\\€Ó|${E}ÂâÊÉ`,
  ' !"#º%&\'()*+,-./',
  '0123456789:;<=>?',
  'ÍABCDEFGHIJKLMNO',
  'PQRSTUVWXYZÃÕÚÜ§',
  '~abcdefghijklmno',
  'pqrstuvwxyzãõ`üà',
]);

/** A.2.3 Portuguese single shift. */
const PORTUGUESE_SINGLE: Record<number, string> = {
  ...LATIN_SINGLE_BASE,
  0x05: 'ê',
  0x09: 'ç',
  0x0b: 'Ô',
  0x0c: 'ô',
  0x0e: 'Á',
  0x0f: 'á',
  0x12: 'Φ',
  0x13: 'Γ',
  0x15: 'Ω',
  0x16: 'Π',
  0x17: 'Ψ',
  0x18: 'Σ',
  0x19: 'Θ',
  0x1f: 'Ê',
  0x41: 'À',
  0x49: 'Í',
  0x4f: 'Ó',
  0x55: 'Ú',
  0x5b: 'Ã',
  0x5c: 'Õ',
  0x61: 'Â',
  0x69: 'í',
  0x6f: 'ó',
  0x75: 'ú',
  0x7b: 'ã',
  0x7c: 'õ',
  0x7f: 'â',
};

export const DEFAULT_TABLES: LanguageTables = {
  id: 0,
  name: 'default',
  locking: DEFAULT_LOCKING,
  single: DEFAULT_SINGLE,
};

const LANGUAGES: LanguageTables[] = [
  DEFAULT_TABLES,
  { id: 1, name: 'Turkish', locking: TURKISH_LOCKING, single: TURKISH_SINGLE },
  { id: 2, name: 'Spanish', single: SPANISH_SINGLE },
  { id: 3, name: 'Portuguese', locking: PORTUGUESE_LOCKING, single: PORTUGUESE_SINGLE },
];

/** The hex-row form of gsm-tables-indic.ts → LanguageTables. */
function fromHex(t: HexTable): LanguageTables {
  const cells = (rows: readonly string[]) => {
    const c = rows
      .join(' ')
      .split(' ')
      .filter((x) => x !== '');
    if (c.length !== 128) throw new Error(`${t.name} table has ${c.length} entries, expected 128`);
    return c;
  };
  let lockingTable = '';
  for (const c of cells(t.locking)) {
    lockingTable += c === 'ESC' ? E : c === '----' ? U : String.fromCodePoint(parseInt(c, 16));
  }
  const single: Record<number, string> = {};
  cells(t.single).forEach((c, septet) => {
    if (c !== 'ESC' && c !== '----') single[septet] = String.fromCodePoint(parseInt(c, 16));
  });
  return { id: t.id, name: t.name, locking: lockingTable, single };
}

for (const t of INDIC_TABLES) LANGUAGES.push(fromHex(t));

const byId = new Map<number, LanguageTables>();
export function registerLanguage(tables: LanguageTables): void {
  byId.set(tables.id, tables);
}
for (const l of LANGUAGES) registerLanguage(l);

export function languageTables(id: number): LanguageTables | undefined {
  return byId.get(id);
}

/** Ids of every national language with tables (the default, 0, excluded). */
export function nationalLanguageIds(): number[] {
  return [...byId.keys()].filter((id) => id !== 0).sort((a, b) => a - b);
}

export function languageIdByName(name: string): number | undefined {
  const wanted = name.toLowerCase();
  for (const t of byId.values()) if (t.name.toLowerCase() === wanted) return t.id;
  return undefined;
}

/** Marker characters used inside locking tables. */
export const LOCKING_ESC = E;
export const LOCKING_UNDEFINED = U;
