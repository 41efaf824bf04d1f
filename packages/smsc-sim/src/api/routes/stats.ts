// GET /api/stats/delivery: delivery rate (DELIVRD of the final states) per account or destination prefix over a
// window, the states breakdown, receipt latency percentiles (submit accepted → receipt acknowledged, ms).
import type { FastifyInstance } from 'fastify';
import { declared } from '../declare.js';
import type { AdminTarget } from '../target.js';

const QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    window: { type: 'integer', minimum: 1, maximum: 366 * 86_400, default: 3600, description: 'seconds' },
    by: { type: 'string', enum: ['account', 'prefix'], default: 'account' },
    prefixLength: { type: 'integer', minimum: 1, maximum: 15, default: 4, description: 'with by=prefix' },
  },
};

interface StatsParams {
  window: number;
  by: 'account' | 'prefix';
  prefixLength: number;
}

/** an answer is reused this long for the same query (the scan covers the window's rows: console tabs polling
 * together cost one scan) */
const REUSE_MS = 2000;

export function statsRoutes(app: FastifyInstance, smsc: AdminTarget): void {
  const recent = new Map<string, { at: number; body: unknown }>();
  app.get<{ Querystring: StatsParams }>(
    '/api/stats/delivery',
    { schema: declared({ summary: 'delivery rate, states and receipt latency over a window', querystring: QUERY }) },
    async (req) => {
      const { window, by, prefixLength } = req.query;
      const key = `${window}|${by}|${prefixLength}`;
      const now = Date.now();
      const hit = recent.get(key);
      if (hit && now - hit.at < REUSE_MS) return hit.body;
      const { rows, latency } = smsc.deliveryStats({ windowMs: window * 1000, by, prefixLength });
      const body = { window, by, ...(by === 'prefix' && { prefixLength }), rows, latency };
      for (const [k, v] of recent) if (now - v.at >= REUSE_MS) recent.delete(k);
      recent.set(key, { at: now, body });
      return body;
    },
  );
}
