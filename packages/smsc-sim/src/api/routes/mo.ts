// POST /api/mo (inject a mobile-originated message), POST /api/mo/preview (the encoding and parts it would use,
// from @smppkit/encoding's count, the same plan the split uses), POST /api/outbind.
import { countMessage } from '@smppkit/encoding';
import type { FastifyInstance } from 'fastify';
import { section } from '../../config/fields.js';
import { validateConfig } from '../../config/load.js';
import { OUTBIND_FIELDS } from '../../config/schema.js';
import type { OutbindTarget } from '../../config/types.js';
import type { MoRequest } from '../../delivery/mo.js';
import { declared } from '../declare.js';
import { ApiError } from '../errors.js';
import type { AdminTarget } from '../target.js';

const ADDRESS = { type: 'string', minLength: 1, maxLength: 20 };
const MO_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to', 'text'],
  properties: {
    from: { ...ADDRESS, description: 'sender (the mobile): 1..20 letters, digits, + or space' },
    to: { ...ADDRESS, description: 'destination: a number an account owns' },
    text: { type: 'string', maxLength: 100_000, description: 'message text (split into parts when long)' },
    systemId: { type: 'string', minLength: 1, description: 'deliver to this account instead of the owner of to' },
    dataCoding: { type: 'integer', minimum: 0, maximum: 255, description: 'force a data_coding' },
  },
};

function preview(req: MoRequest) {
  let c;
  try {
    c = countMessage(req.text, req.dataCoding !== undefined ? { dataCoding: req.dataCoding } : {});
  } catch (e) {
    throw new ApiError(400, `text: ${(e as Error).message}`, 'text');
  }
  return {
    encoding: c.encoding,
    alphabet: c.alphabet,
    dataCoding: c.dataCoding,
    parts: c.parts,
    characters: c.characters,
    unit: c.unit,
    septetsOrOctets: c.units,
    perPart: c.perPart,
    remaining: c.remaining,
  };
}

export function moRoutes(app: FastifyInstance, smsc: AdminTarget): void {
  app.post<{ Body: MoRequest }>(
    '/api/mo',
    { schema: declared({ summary: 'inject a mobile-originated message (202: queued for delivery)', body: MO_BODY }) },
    async (req, reply) => {
      const { systemId } = req.body;
      // in the open mode any system_id may bind: an MO can only be for one that is bound
      if (systemId !== undefined && smsc.accounts.open && !smsc.sessions().some((s) => s.systemId === systemId))
        throw new ApiError(
          400,
          `systemId: ${JSON.stringify(systemId)} is not bound (no accounts are configured: name a bound system_id)`,
          'systemId',
        );
      reply.code(202);
      return smsc.injectMo(req.body);
    },
  );
  app.post<{ Body: MoRequest }>(
    '/api/mo/preview',
    { schema: declared({ summary: 'the encoding and parts POST /api/mo would use (nothing is sent)', body: MO_BODY }) },
    async (req) => preview(req.body),
  );
  app.post<{ Body: unknown }>(
    '/api/outbind',
    {
      schema: declared({
        summary: 'connect to an ESME and send outbind (202: sent; 502: the ESME cannot be reached)',
        body: section(OUTBIND_FIELDS, 'the ESME to connect to').schema(),
      }),
    },
    async (req, reply) => {
      const target = validateConfig({ outbind: [req.body] }, 'body').outbind![0] as OutbindTarget;
      try {
        const r = await smsc.outbind(target);
        reply.code(202);
        return r;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
        throw new ApiError(502, `outbind: cannot connect to ${target.host}:${target.port}: ${code}`, 'port');
      }
    },
  );
}
