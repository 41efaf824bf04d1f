// validity / schedule given as a Date, seconds from now, or an SMPP time string → the SMPP time field.
import { formatRelativeSmppTime, formatSmppTime, parseSmppTime } from '@smppkit/core';
import { ConfigError } from './errors.js';

export function toSmppTime(value: string | Date | number, field: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ConfigError(`${field} is an invalid Date`);
    return formatSmppTime(value);
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value <= 0)
      throw new ConfigError(`${field} ${value} is not a whole number of seconds > 0`);
    let s = value;
    const days = Math.floor(s / 86400);
    s -= days * 86400;
    const hours = Math.floor(s / 3600);
    s -= hours * 3600;
    const minutes = Math.floor(s / 60);
    s -= minutes * 60;
    if (days > 99) throw new ConfigError(`${field} ${value} s is more than 99 days`);
    return formatRelativeSmppTime({ days, hours, minutes, seconds: s });
  }
  if (typeof value === 'string') {
    try {
      parseSmppTime(value);
    } catch (err) {
      throw new ConfigError(`${field} '${value}' is not an SMPP time (YYMMDDhhmmsstnnp): ${(err as Error).message}`);
    }
    return value;
  }
  throw new ConfigError(`${field} must be a Date, seconds, or an SMPP time string`);
}
