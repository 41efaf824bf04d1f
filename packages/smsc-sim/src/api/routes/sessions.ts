// GET /api/health, GET /api/sessions, and the actions on one session: POST /api/sessions/:id/unbind | drop.
import type { FastifyInstance } from 'fastify';
import { declared } from '../declare.js';
import { ApiError } from '../errors.js';
import type { AdminTarget } from '../target.js';

const ID_PARAMS = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, description: 'the session id (GET /api/sessions)' } },
};

export function sessionRoutes(app: FastifyInstance, smsc: AdminTarget): void {
  app.get('/api/health', { schema: declared({ summary: 'liveness and a summary (no token needed)' }) }, async () => ({
    status: 'ok',
    uptimeMs: Date.now() - smsc.startedAt,
    port: smsc.port,
    tlsPort: smsc.tlsPort,
    sessions: smsc.connections.size,
    messages: smsc.store.count(),
    store: smsc.store.path ?? 'memory',
    openMode: smsc.accounts.open,
  }));
  app.get('/api/sessions', { schema: declared({ summary: 'connected sessions (binds)' }) }, async () => ({
    sessions: smsc.sessions(),
  }));
  for (const action of ['unbind', 'drop'] as const) {
    app.post<{ Params: { id: number } }>(
      `/api/sessions/:id/${action}`,
      {
        schema: declared({
          summary:
            action === 'unbind'
              ? 'send unbind to a session (202: sent, the answer is not awaited)'
              : 'drop a session: destroy its TCP connection',
          params: ID_PARAMS,
        }),
      },
      async (req, reply) => {
        const { id } = req.params;
        const done = action === 'unbind' ? smsc.unbindSession(id) : smsc.dropSession(id);
        if (!done) throw new ApiError(404, `session ${id} not found`, 'id');
        reply.code(202);
        return { id, action };
      },
    );
  }
}
