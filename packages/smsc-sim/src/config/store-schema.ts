// The config field of the store: memory, or a SQLite file with its settled mark's backlog (store/settled.ts).
import { either, isObj } from './fields.js';
import type { StoreSetting } from './types.js';

/** a file store's settleBacklog: a whole number of messages, at least 1 */
const isBacklog = (v: unknown): boolean => v === undefined || (Number.isInteger(v) && (v as number) >= 1);

export const STORE = either<StoreSetting>(
  "where messages are kept: memory, or {path} of a SQLite file (WAL); settleBacklog: messages above the settled mark from which a restart's start-up read is kept short under steady load too (default 1,000,000)",
  [
    { test: (v) => v === 'memory', value: () => 'memory', schema: { const: 'memory' } },
    {
      test: (v) =>
        isObj(v) &&
        typeof v.path === 'string' &&
        Object.keys(v).every((k) => k === 'path' || k === 'settleBacklog') &&
        isBacklog(v.settleBacklog),
      value: (v) => {
        const { path, settleBacklog } = v as { path: string; settleBacklog?: number };
        return settleBacklog === undefined ? { path } : { path, settleBacklog };
      },
      schema: {
        type: 'object',
        properties: { path: { type: 'string' }, settleBacklog: { type: 'integer', minimum: 1 } },
        required: ['path'],
        additionalProperties: false,
      },
    },
  ],
  "'memory' or {path, settleBacklog?} (settleBacklog a whole number ≥ 1)",
);
