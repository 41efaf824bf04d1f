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

export function statsRoutes(app: FastifyInstance, smsc: AdminTarget): void {
  app.get<{ Querystring: StatsParams }>(
    '/api/stats/delivery',
    { schema: declared({ summary: 'delivery rate, states and receipt latency over a window', querystring: QUERY }) },
    async (req) => {
      const { window, by, prefixLength } = req.query;
      const { rows, latency } = smsc.deliveryStats({ windowMs: window * 1000, by, prefixLength });
      return { window, by, ...(by === 'prefix' && { prefixLength }), rows, latency };
    },
  );
}
