/**
 * chooseEncoding: the cheapest data_coding that carries a text exactly — GSM 7-bit, then GSM 7-bit with the
 * best allowed national language shift tables, then (if allowed) Latin-1, then UCS-2 — with the reason.
 */
import { type Alphabet, describeDataCoding, type SmscDefault } from './data-coding.js';
import { describeChar } from './errors.js';
import { type MessageOptions, planFixed } from './fixed-plan.js';
import { languageTables, nationalLanguageIds } from './gsm-tables.js';
import { firstUnencodable, gsmCodec, type NationalLanguage } from './gsm7.js';

export interface EncodingChoice {
  dataCoding: number;
  alphabet: Alphabet;
  /** e.g. 'GSM 7-bit (default alphabet, Turkish single shift)'. */
  name: string;
  nationalLanguage?: NationalLanguage;
  /** Why this encoding, in words, naming the first character that ruled out a cheaper one. */
  reason: string;
}

function charAt(text: string, i: number): string {
  return String.fromCodePoint(text.codePointAt(i)!);
}

function maxCode(text: string): number {
  let m = 0;
  for (let i = 0; i < text.length; i++) m = Math.max(m, text.charCodeAt(i));
  return m;
}

function firstAbove(text: string, max: number): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > max) return i;
  return -1;
}

function candidates(allowed: MessageOptions['nationalLanguages']): NationalLanguage[] {
  if (!allowed || (Array.isArray(allowed) && allowed.length === 0)) return [];
  const ids = allowed === 'all' ? nationalLanguageIds() : [...allowed];
  const out: NationalLanguage[] = [];
  for (const id of ids) {
    const t = languageTables(id);
    if (!t || id === 0) continue;
    if (t.single) out.push({ single: id });
    if (t.locking) out.push({ locking: id });
    if (t.locking && t.single) out.push({ locking: id, single: id });
  }
  return out;
}

export function chooseEncoding(text: string, opts: MessageOptions = {}): EncodingChoice {
  const smscDefault: SmscDefault = opts.smscDefault ?? 'gsm';
  const mode = opts.mode ?? 'udh8';
  const reasons: string[] = [];

  if (smscDefault === 'gsm') {
    const codec = gsmCodec();
    const bad = firstUnencodable(text, codec);
    if (bad < 0) {
      const note = text.includes('ç') ? ' (ç is sent as 0x09, which handsets show as Ç)' : '';
      return {
        dataCoding: 0,
        alphabet: 'gsm7',
        name: codec.name,
        reason: `every character is in the GSM 7-bit default alphabet or its extension table${note}`,
      };
    }
    reasons.push(`${describeChar(charAt(text, bad))} at position ${bad} is not in the GSM 7-bit default alphabet`);

    const nationals = mode === 'sar' ? [] : candidates(opts.nationalLanguages);
    // tables the caller named explicitly are a candidate too
    const explicit = opts.nationalLanguage;
    if (mode !== 'sar' && explicit && (explicit.locking || explicit.single)) nationals.unshift(explicit);
    let best: { nl: NationalLanguage; parts: number; udh: number; units: number } | undefined;
    for (const nl of nationals) {
      if (firstUnencodable(text, gsmCodec(nl)) >= 0) continue;
      const plan = planFixed(text, 0, nl, { ...opts, maxParts: 255, onUnencodable: 'throw' });
      const cand = { nl, parts: plan.partUnits.length, udh: plan.multiUdhLength, units: plan.units };
      if (
        !best ||
        cand.parts < best.parts ||
        (cand.parts === best.parts && (cand.udh < best.udh || (cand.udh === best.udh && cand.units < best.units)))
      ) {
        best = cand;
      }
    }
    if (best) {
      const ucs2Parts = planFixed(text, 8, undefined, { ...opts, maxParts: 255 }).partUnits.length;
      const codec = gsmCodec(best.nl);
      if (best.parts <= ucs2Parts) {
        return {
          dataCoding: 0,
          alphabet: 'gsm7',
          name: codec.name,
          nationalLanguage: best.nl,
          reason: `${reasons[0]}; ${codec.name} carries it in ${best.parts} part(s) against ${ucs2Parts} in UCS-2`,
        };
      }
      reasons.push(`${codec.name} would need ${best.parts} part(s), UCS-2 ${ucs2Parts}`);
    } else if (nationals.length > 0) {
      reasons.push('no allowed national language table carries it');
    }
  } else if (smscDefault === 'ascii') {
    const bad = firstAbove(text, 0x7f);
    if (bad < 0)
      return {
        dataCoding: 0,
        alphabet: 'ascii',
        name: describeDataCoding(0, 'ascii').name,
        reason: 'plain ASCII text; data_coding 0 is ASCII on this link',
      };
    reasons.push(`${describeChar(charAt(text, bad))} at position ${bad} is not ASCII`);
  }

  const latin1Default = smscDefault === 'latin1';
  if (latin1Default || opts.allowLatin1) {
    const bad = firstAbove(text, 0xff);
    if (bad < 0) {
      const dataCoding = latin1Default ? 0 : 3;
      return {
        dataCoding,
        alphabet: 'latin1',
        name: describeDataCoding(dataCoding, smscDefault).name,
        reason: [
          ...reasons,
          latin1Default ? 'data_coding 0 is Latin-1 on this link' : 'every character is in Latin-1',
        ].join('; '),
      };
    }
    reasons.push(`${describeChar(charAt(text, bad))} at position ${bad} is not in Latin-1`);
  }
  const astral = maxCode(text) >= 0xd800 && /[\uD800-\uDFFF]/.test(text);
  return {
    dataCoding: 8,
    alphabet: 'ucs2',
    name: describeDataCoding(8).name,
    reason: `${reasons.join('; ')}${astral ? '; surrogate pairs are kept whole' : ''}`,
  };
}
