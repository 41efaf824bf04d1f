/**
 * countMessage: what a handset's counter shows — characters, septets/units/octets, parts, and what is left in
 * the last part — computed from the same plan splitMessage builds, so the two never disagree.
 */
import type { UnitKind } from './limits.js';
import { type MessageEncoding, type MessageOptions, planMessage } from './plan.js';

export interface MessageCount extends MessageEncoding {
  /** Characters as a person counts them (Unicode code points; an emoji is one). */
  characters: number;
  /** What the limits are counted in: GSM septets (an extension character is 2), UTF-16 code units, or octets. */
  unit: UnitKind;
  units: number;
  /** SMPP submissions needed (1 in 'payload' mode). */
  parts: number;
  /** Parts on the air: what the MC will send (differs from parts only in 'payload' mode). */
  segments: number;
  /** Units per part: the single-message limit when parts is 1, else the per-part limit of a concatenated message. */
  perPart: number;
  /** Units still free in the last part (for GSM: how many more default-alphabet characters fit). */
  remaining: number;
  /** UDH octets in each part (UDHL included; 0 when none). */
  udhLength: number;
}

export function countMessage(text: string, opts: MessageOptions = {}): MessageCount {
  const plan = planMessage(text, opts);
  const parts = plan.partUnits.length;
  const multi = parts > 1;
  let segments = parts;
  let perPart = multi ? plan.multiLimit : plan.singleLimit;
  let remaining = perPart - plan.partUnits[parts - 1];
  if (plan.mode === 'payload') {
    // what the MC will make of it: the same plan as if split with 8-bit references
    const air = planMessage(text, {
      ...opts,
      mode: 'udh8',
      dataCoding: plan.info.dataCoding,
      nationalLanguage: plan.nationalLanguage,
    });
    segments = air.partUnits.length;
    perPart = segments > 1 ? air.multiLimit : air.singleLimit;
    remaining = perPart - air.partUnits[segments - 1];
  }
  let characters = 0;
  for (const _ of text) characters++;
  const out: MessageCount = {
    dataCoding: plan.info.dataCoding,
    alphabet: plan.info.alphabet,
    encoding: plan.encodingName,
    mode: plan.mode,
    characters,
    unit: plan.kind,
    units: plan.units,
    parts,
    segments,
    perPart,
    remaining,
    udhLength: plan.mode === 'sar' ? 0 : multi ? plan.multiUdhLength : plan.singleUdhLength,
  };
  if (plan.nationalLanguage) out.nationalLanguage = plan.nationalLanguage;
  if (plan.choice) out.reason = plan.choice.reason;
  return out;
}
