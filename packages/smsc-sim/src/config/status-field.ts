// A command_status in the config and the API: a number, hex text ("0x58") or a name from @smppkit/core's status
// table ("ESME_RTHROTTLED", v3.4 aliases included), read into the number.
import { CommandStatus } from '@smppkit/core';
import { type Field, show } from './fields.js';

const NAMES = Object.keys(CommandStatus);
const MAX = 0xffffffff;
const HEX = /^0x[0-9a-f]{1,8}$/i;
const EXPECTED = `a command_status (an integer in 0..${MAX}, hex such as "0x58", or a name such as "ESME_RTHROTTLED")`;

/** The status a value names, or undefined. */
export function parseStatus(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= MAX ? v : undefined;
  if (typeof v !== 'string') return undefined;
  if (HEX.test(v)) return Number.parseInt(v.slice(2), 16);
  if (/^\d{1,10}$/.test(v)) return Number(v) <= MAX ? Number(v) : undefined;
  return Object.hasOwn(CommandStatus, v) ? (CommandStatus as Record<string, number>)[v] : undefined;
}

export function commandStatus(doc: string): Field<number> {
  return {
    doc,
    read(v, path, errors) {
      const n = parseStatus(v);
      if (n !== undefined) return n;
      errors.push(`${path}: ${show(v)} is not ${EXPECTED}`);
      return undefined;
    },
    schema: () => ({
      description: `${doc}: a number, hex ("0x58") or a name ("ESME_RTHROTTLED")`,
      'x-expected': EXPECTED,
      anyOf: [
        { type: 'integer', minimum: 0, maximum: MAX },
        { type: 'string', pattern: '^0[xX][0-9a-fA-F]{1,8}$' },
        { type: 'string', enum: NAMES },
      ],
    }),
  };
}
