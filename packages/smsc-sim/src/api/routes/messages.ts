// GET /api/messages (search, paged), GET /api/messages/:id (one with its parts, PDUs and history), DELETE
// /api/messages.
import { RECEIPT_STAT } from '@smppkit/core';
import type { FastifyInstance } from 'fastify';
import { STATE_NAMES, type StateName } from '../../config/types.js';
import { SCAN_ROWS } from '../../store/queries.js';
import type { MessageFilter } from '../../store/record.js';
import { declared } from '../declare.js';
import { ApiError } from '../errors.js';
import { AmbiguousIdError, type MessagePage } from '../inspect.js';
import type { AdminTarget } from '../target.js';

/** receipt stats (DELIVRD, UNDELIV, …) accepted for the state names */
const STAT_OF_STATE = new Map<string, StateName>(STATE_NAMES.map((s, n) => [RECEIPT_STAT[n] ?? s, s]));
const STATE_VALUES = [...new Set([...STATE_NAMES, ...STAT_OF_STATE.keys()])];
/** a text search looks at this many of the newest messages matching the other filters */
export const TEXT_SCAN = 20_000;

const str = (description: string) => ({ type: 'string', description });
const time = (description: string) => ({ type: 'string', description: `${description} (ISO 8601 or epoch ms)` });

export const MESSAGE_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    systemId: str('submitting or receiving account'),
    from: str('source address'),
    to: str('destination address'),
    text: str(`substring of the reassembled text (searches the newest ${TEXT_SCAN} matches)`),
    state: { type: 'string', enum: STATE_VALUES, description: 'state name or receipt stat, any case' },
    direction: { type: 'string', enum: ['MT', 'MO'] },
    order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
    since: time('submitted at or after'),
    until: time('submitted at or before'),
    limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 },
    offset: { type: 'integer', minimum: 0, default: 0 },
    cursor: {
      type: 'string',
      pattern: '^[0-9]{1,15}$',
      description: `where an earlier answer stopped (its cursor): look on past it, with the same filter and order`,
    },
  },
} as const;

interface MessageQuery {
  systemId?: string;
  from?: string;
  to?: string;
  text?: string;
  state?: string;
  direction?: 'MT' | 'MO';
  order: 'asc' | 'desc';
  since?: string;
  until?: string;
  limit: number;
  offset: number;
  cursor?: string;
}

function epochMs(v: string, name: string): number {
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(ms))
    throw new ApiError(400, `${name}: ${JSON.stringify(v)} is not a date (ISO 8601 or epoch ms)`, name);
  return ms;
}

export function messageFilter(q: MessageQuery): MessageFilter {
  const f: MessageFilter = { order: q.order, limit: q.limit, offset: q.offset };
  if (q.systemId !== undefined) f.systemId = q.systemId;
  if (q.from !== undefined) f.from = q.from;
  if (q.to !== undefined) f.to = q.to;
  if (q.state !== undefined) f.state = STAT_OF_STATE.get(q.state) ?? (q.state as StateName);
  if (q.direction !== undefined) f.direction = q.direction;
  if (q.since !== undefined) f.since = epochMs(q.since, 'since');
  if (q.until !== undefined) f.until = epochMs(q.until, 'until');
  return f;
}

/**
 * The page of messages, within a bounded look (SCAN_ROWS ids from the newest or from the cursor: a filter few rows
 * match does not read the whole table); with a text, filtered on the reassembled text of the first TEXT_SCAN found.
 */
function search(smsc: AdminTarget, f: MessageFilter, text?: string, cursor?: string): MessagePage {
  const scan = { rows: SCAN_ROWS, ...(cursor !== undefined && { cursor: Number(cursor) }) };
  if (text === undefined) return smsc.messages(f, scan);
  const { messages, ...found } = smsc.messages({ ...f, limit: TEXT_SCAN, offset: 0 }, scan);
  const all = messages.filter((m) => m.text.includes(text));
  const offset = f.offset ?? 0;
  const page: MessagePage = { ...found, total: all.length, messages: all.slice(offset, offset + (f.limit ?? 100)) };
  // more may match past the TEXT_SCAN looked at (found.cursor then says where they begin)
  if (found.totalIsLowerBound || messages.length === TEXT_SCAN) page.totalIsLowerBound = true;
  return page;
}

export function messageRoutes(app: FastifyInstance, smsc: AdminTarget): void {
  app.get<{ Querystring: MessageQuery }>(
    '/api/messages',
    {
      schema: declared({
        summary: 'search messages (logical: parts reassembled), newest first, paged',
        querystring: MESSAGE_QUERY,
      }),
    },
    async (req) => search(smsc, messageFilter(req.query), req.query.text, req.query.cursor),
  );
  app.get<{ Params: { id: string }; Querystring: { systemId?: string } }>(
    '/api/messages/:id',
    {
      schema: declared({
        summary:
          'one message by the id its ESME was given (else the row number): parts, message ids, state history, PDUs; 409 when the id is that of messages of several accounts and no systemId says which',
        params: {
          type: 'object',
          properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
          required: ['id'],
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { systemId: { type: 'string', minLength: 1, maxLength: 16 } },
        },
      }),
    },
    async (req) => {
      let msg: ReturnType<AdminTarget['message']>;
      try {
        msg = smsc.message(req.params.id, req.query.systemId);
      } catch (e) {
        if (e instanceof AmbiguousIdError) throw new ApiError(409, e.message, 'systemId');
        throw e;
      }
      if (!msg) throw new ApiError(404, `message ${JSON.stringify(req.params.id)} not found`, 'id');
      return msg;
    },
  );
  app.delete('/api/messages', { schema: declared({ summary: 'forget every message' }) }, async () => {
    smsc.delivery.clear();
    return { deleted: smsc.store.deleteAll() };
  });
}
