// The SMPP time format (schedule_delivery_time, validity_period, final_date, broadcast_end_time), both ways.
//   absolute: YYMMDDhhmmsstnnp — local time, tenths, nn quarter-hours from UTC, p '+' (ahead) or '-' (behind)
//   relative: YYMMDDhhmmss000R — a duration added to the MC's current time

export interface RelativeDuration {
  years?: number;
  months?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
}

export interface AbsoluteSmppTime {
  kind: 'absolute';
  /** the instant (UTC) */
  date: Date;
  /** the sender's UTC offset in quarter hours (negative when behind UTC) */
  offsetQuarterHours: number;
}

export interface RelativeSmppTime extends Required<RelativeDuration> {
  kind: 'relative';
  /** the instant designated when added to the `now` given to parseSmppTime (default: the time of parsing) */
  date: Date;
  /** The instant this duration designates when added to `now` (default: the current time). */
  toDate(now?: Date): Date;
}

export type SmppTime = AbsoluteSmppTime | RelativeSmppTime;

/** The shape of a non-NULL SMPP time: YY MM DD hh mm ss t nn p (p '+', '-' or 'R'). The codec checks time fields with it. */
export const SMPP_TIME_RE = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d)(\d\d)([-+R])$/;

/** YY below this is 20YY, otherwise 19YY (the v3.4 appendix / Wireshark pivot). */
const PIVOT = 38;

/**
 * Parses an SMPP time string. '' (the NULL time) gives null. Throws RangeError naming the value when it is
 * not a valid SMPP time. A relative time's `date` is resolved against `now` (default: the current time).
 */
export function parseSmppTime(s: string, now: Date = new Date()): SmppTime | null {
  if (s === '') return null;
  const m = SMPP_TIME_RE.exec(s);
  if (!m) throw new RangeError(`${JSON.stringify(s)} is not an SMPP time (YYMMDDhhmmsstnnp, 16 characters)`);
  const [yy, mo, dd, hh, mi, ss, t, nn] = m.slice(1, 9).map(Number);
  const p = m[9];
  if (p === 'R') {
    const years = yy;
    const months = mo;
    const days = dd;
    const hours = hh;
    const minutes = mi;
    const seconds = ss;
    return {
      kind: 'relative',
      years,
      months,
      days,
      hours,
      minutes,
      seconds,
      date: addDuration(now, { years, months, days, hours, minutes, seconds }),
      toDate(now: Date = new Date()) {
        return addDuration(now, { years, months, days, hours, minutes, seconds });
      },
    };
  }
  if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 59 || nn > 48) {
    throw new RangeError(`${JSON.stringify(s)} is not a valid absolute SMPP time (a field is out of range)`);
  }
  const year = yy < PIVOT ? 2000 + yy : 1900 + yy;
  const offset = p === '+' ? nn : -nn;
  const localMs = Date.UTC(year, mo - 1, dd, hh, mi, ss, t * 100);
  const check = new Date(localMs);
  if (check.getUTCDate() !== dd)
    throw new RangeError(`${JSON.stringify(s)} is not a valid absolute SMPP time (no such day)`);
  return { kind: 'absolute', date: new Date(localMs - offset * 15 * 60_000), offsetQuarterHours: offset };
}

/** Adds a relative duration to a date (calendar years/months/days, then hours/minutes/seconds). */
export function addDuration(now: Date, d: RelativeDuration): Date {
  const r = new Date(now.getTime());
  if (d.years) r.setUTCFullYear(r.getUTCFullYear() + d.years);
  if (d.months) r.setUTCMonth(r.getUTCMonth() + d.months);
  if (d.days) r.setUTCDate(r.getUTCDate() + d.days);
  return new Date(r.getTime() + ((d.hours ?? 0) * 3600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0)) * 1000);
}

/**
 * Formats an instant as an absolute SMPP time, written in the local time of the given UTC offset
 * (quarter hours, -48..48; default 0 = UTC).
 */
export function formatSmppTime(date: Date, offsetQuarterHours = 0): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime()))
    throw new RangeError(`${String(date)} is not a valid Date`);
  if (!Number.isInteger(offsetQuarterHours) || offsetQuarterHours < -48 || offsetQuarterHours > 48) {
    throw new RangeError(`offsetQuarterHours ${offsetQuarterHours} must be an integer -48..48`);
  }
  const local = new Date(date.getTime() + offsetQuarterHours * 15 * 60_000);
  const year = local.getUTCFullYear();
  if (year < 1900 + PIVOT || year >= 2000 + PIVOT)
    throw new RangeError(`year ${year} cannot be written as an SMPP time`);
  return (
    p2(year % 100) +
    p2(local.getUTCMonth() + 1) +
    p2(local.getUTCDate()) +
    p2(local.getUTCHours()) +
    p2(local.getUTCMinutes()) +
    p2(local.getUTCSeconds()) +
    Math.floor(local.getUTCMilliseconds() / 100) +
    p2(Math.abs(offsetQuarterHours)) +
    (offsetQuarterHours < 0 ? '-' : '+')
  );
}

/**
 * Formats a duration as a relative SMPP time. Seconds, minutes and hours carry over into the next unit
 * ({ seconds: 3600 } → 1 hour); each written unit must end up within 0..99.
 */
export function formatRelativeSmppTime(d: RelativeDuration): string {
  for (const [k, v] of Object.entries(d)) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0))
      throw new RangeError(`${k} ${v} must be a non-negative integer`);
  }
  let seconds = d.seconds ?? 0;
  let minutes = (d.minutes ?? 0) + Math.floor(seconds / 60);
  seconds %= 60;
  let hours = (d.hours ?? 0) + Math.floor(minutes / 60);
  minutes %= 60;
  const days = (d.days ?? 0) + Math.floor(hours / 24);
  hours %= 24;
  const units = { years: d.years ?? 0, months: d.months ?? 0, days, hours, minutes, seconds };
  for (const [k, v] of Object.entries(units)) {
    if (v > 99) throw new RangeError(`relative SMPP time: ${k} ${v} exceeds 99`);
  }
  return p2(units.years) + p2(units.months) + p2(days) + p2(hours) + p2(minutes) + p2(seconds) + '000R';
}

function p2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
