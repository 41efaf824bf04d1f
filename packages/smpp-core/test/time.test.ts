import { describe, expect, it } from 'vitest';
import { formatRelativeSmppTime, formatSmppTime, parseSmppTime } from '../src/index.js';

describe('SMPP time format', () => {
  it('reads an absolute time with a quarter-hour offset (reference example)', () => {
    const t = parseSmppTime('250101120000032+');
    expect(t).toMatchObject({ kind: 'absolute', offsetQuarterHours: 32 });
    expect(t!.kind === 'absolute' && t!.date.toISOString()).toBe('2025-01-01T04:00:00.000Z');
  });

  it('reads times behind UTC and tenths of seconds', () => {
    const t = parseSmppTime('991231235959920-');
    expect(t!.kind === 'absolute' && t!.date.toISOString()).toBe('2000-01-01T04:59:59.900Z');
  });

  it('writes absolute times in the local time of the offset and reads them back', () => {
    const d = new Date('2026-11-23T13:45:30.700Z');
    expect(formatSmppTime(d)).toBe('261123134530700+');
    expect(formatSmppTime(d, 4)).toBe('261123144530704+');
    expect(formatSmppTime(d, -20)).toBe('261123084530720-');
    for (const q of [0, 4, -20, 48, -48]) {
      const back = parseSmppTime(formatSmppTime(d, q));
      expect(back!.kind === 'absolute' && back!.date.getTime()).toBe(d.getTime());
    }
  });

  it('reads the spec relative example and resolves it against now', () => {
    const t = parseSmppTime('020610233429000R', new Date('2020-01-01T00:00:00Z'));
    expect(t).toMatchObject({ kind: 'relative', years: 2, months: 6, days: 10, hours: 23, minutes: 34, seconds: 29 });
    expect(t!.date.toISOString()).toBe('2022-07-11T23:34:29.000Z');
    expect(t!.kind === 'relative' && t!.toDate(new Date('2021-01-01T00:00:00Z')).toISOString()).toBe(
      '2023-07-11T23:34:29.000Z',
    );
  });

  it('writes relative times, carrying seconds into minutes, hours and days', () => {
    expect(formatRelativeSmppTime({ days: 1, hours: 2 })).toBe('000001020000000R');
    expect(formatRelativeSmppTime({ seconds: 90061 })).toBe('000001010101000R');
    expect(() => formatRelativeSmppTime({ days: 100 })).toThrow(RangeError);
    expect(() => formatRelativeSmppTime({ years: -1 })).toThrow(RangeError);
  });

  it("treats '' as NULL and rejects malformed times with the value in the message", () => {
    expect(parseSmppTime('')).toBeNull();
    expect(() => parseSmppTime('2501011200000')).toThrow(/"2501011200000"/);
    expect(() => parseSmppTime('251301120000000+')).toThrow(RangeError);
    expect(() => parseSmppTime('250101120000049+')).toThrow(RangeError);
    expect(() => parseSmppTime('250231120000000+')).toThrow(/no such day/);
    expect(() => formatSmppTime(new Date(NaN))).toThrow(RangeError);
    expect(() => formatSmppTime(new Date(), 49)).toThrow(RangeError);
  });
});
