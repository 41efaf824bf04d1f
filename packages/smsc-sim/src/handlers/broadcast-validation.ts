// Checks on a broadcast_sm's broadcast TLVs, one row per check, each failure answered with its own command_status
// (the v5.0 broadcast statuses). The codec has already refused a missing mandatory TLV (ESME_RMISSINGTLV) and a
// TLV of the wrong length (ESME_RINVTLVVAL); the envelope (source, flags, times) is checked as for submit_sm
// (submit-validation.ts).
import type { BroadcastArea, BroadcastFrequencyInterval, PduOf } from '@smppkit/core';
import { Invalid } from './submit-validation.js';

type Tlvs = NonNullable<PduOf<'broadcast_sm'>['tlvs']>;
/** A broadcast_sm's TLVs as decoded: the mandatory ones present (the codec refuses the PDU otherwise). */
export type BroadcastTlvs = Tlvs &
  Required<
    Pick<
      Tlvs,
      'broadcast_area_identifier' | 'broadcast_content_type' | 'broadcast_rep_num' | 'broadcast_frequency_interval'
    >
  >;

/** The most broadcast_area_identifier a broadcast_sm may carry. */
export const MAX_BROADCAST_AREAS = 64;
/** area formats: 0 alias/name, 1 ellipsoid arc, 2 polygon */
const AREA_FORMATS = new Set([0, 1, 2]);
const ALIAS = 0;
/** network types of broadcast_content_type: 0 generic, 1 GSM, 2 TDMA, 3 CDMA */
const MAX_NETWORK_TYPE = 3;
/** broadcast_frequency_interval units in ms (0x00: as frequently as possible); months of 30 days, years of 365 */
const DAY = 86_400_000;
export const INTERVAL_UNIT_MS: ReadonlyMap<number, number> = new Map([
  [0x00, 0],
  [0x08, 1000],
  [0x09, 60_000],
  [0x0a, 3_600_000],
  [0x0b, DAY],
  [0x0c, 7 * DAY],
  [0x0d, 30 * DAY],
  [0x0e, 365 * DAY],
]);
const ASAP = 0x00;
const MAX_CHANNEL_INDICATOR = 1;
const MAX_MESSAGE_CLASS = 3;

const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

function checkArea(a: BroadcastArea, i: number): Invalid | null {
  if (!AREA_FORMATS.has(a.format))
    return new Invalid('ESME_RINVBCASTAREAFMT', `broadcast_area_identifier[${i}] format ${a.format} is reserved`);
  if (a.details.length === 0)
    return a.format === ALIAS
      ? new Invalid('ESME_RINVBCASTALIAS_NAME', `broadcast_area_identifier[${i}] has an empty alias name`)
      : new Invalid('ESME_RINVBCASTAREAFMT', `broadcast_area_identifier[${i}] has no area details`);
  return null;
}

function checkInterval(f: BroadcastFrequencyInterval): Invalid | null {
  if (!INTERVAL_UNIT_MS.has(f.time_unit))
    return new Invalid('ESME_RINVBCASTFREQINT', `broadcast_frequency_interval unit ${hex(f.time_unit)} is reserved`);
  if (f.time_unit !== ASAP && f.number === 0)
    return new Invalid('ESME_RINVBCASTFREQINT', `broadcast_frequency_interval of 0 × unit ${hex(f.time_unit)}`);
  return null;
}

/** [the check, in order]: each returns why the broadcast is refused, or null */
const CHECKS: ReadonlyArray<(t: BroadcastTlvs) => Invalid | null> = [
  (t) =>
    t.broadcast_area_identifier.length > MAX_BROADCAST_AREAS
      ? new Invalid(
          'ESME_RINVNUMBCAST_AREAS',
          `${t.broadcast_area_identifier.length} broadcast_area_identifier exceed ${MAX_BROADCAST_AREAS}`,
        )
      : null,
  (t) => {
    for (let i = 0; i < t.broadcast_area_identifier.length; i++) {
      const bad = checkArea(t.broadcast_area_identifier[i], i);
      if (bad) return bad;
    }
    return null;
  },
  (t) =>
    t.broadcast_content_type.network_type > MAX_NETWORK_TYPE
      ? new Invalid(
          'ESME_RINVBCASTCNTTYPE',
          `broadcast_content_type network type ${t.broadcast_content_type.network_type} is reserved`,
        )
      : null,
  (t) => checkInterval(t.broadcast_frequency_interval),
  (t) =>
    t.broadcast_channel_indicator !== undefined && t.broadcast_channel_indicator > MAX_CHANNEL_INDICATOR
      ? new Invalid('ESME_RINVBCASTCHANIND', `broadcast_channel_indicator ${t.broadcast_channel_indicator} is reserved`)
      : null,
  (t) =>
    t.broadcast_message_class !== undefined && t.broadcast_message_class > MAX_MESSAGE_CLASS
      ? new Invalid('ESME_RINVBCASTMSGCLASS', `broadcast_message_class ${t.broadcast_message_class} is reserved`)
      : null,
  (t) =>
    t.message_payload === undefined
      ? new Invalid('ESME_RMISSINGTLV', 'broadcast_sm without message_payload has nothing to broadcast')
      : null,
];

/** The first check the broadcast's TLVs fail, or null. */
export function checkBroadcastTlvs(t: BroadcastTlvs): Invalid | null {
  for (const check of CHECKS) {
    const bad = check(t);
    if (bad) return bad;
  }
  return null;
}

/**
 * How long the broadcast's repetitions take: (broadcast_rep_num − 1) × broadcast_frequency_interval; null for
 * broadcast_rep_num 0, which v5.0 gives to a broadcast repeated until its validity period ends (or, with none,
 * indefinitely: here until the default validity ends).
 */
export function broadcastSpanMs(t: BroadcastTlvs): number | null {
  if (t.broadcast_rep_num === 0) return null;
  const f = t.broadcast_frequency_interval;
  return (t.broadcast_rep_num - 1) * f.number * (INTERVAL_UNIT_MS.get(f.time_unit) ?? 0);
}
