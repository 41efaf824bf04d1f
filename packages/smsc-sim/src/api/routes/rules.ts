// GET/PUT /api/rules (the scenario) and GET/PUT /api/faults (fault injection, global or per account). The body
// schemas are the config file's (config/schema.ts); the config reader then turns status names into numbers.
import type { FastifyInstance } from 'fastify';
import { section } from '../../config/fields.js';
import { validateConfig } from '../../config/load.js';
import { FAULT_FIELDS, RULE } from '../../config/schema.js';
import { declared } from '../declare.js';
import { ApiError } from '../errors.js';
import type { AdminTarget } from '../target.js';

const RULES_BODY = {
  type: 'object',
  description: 'the new rule list (replaces the old); a bare array is accepted too',
  additionalProperties: false,
  required: ['rules'],
  properties: { rules: { type: 'array', maxItems: 10_000, items: RULE.schema() } },
};

const FAULTS_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    systemId: {
      type: 'string',
      minLength: 1,
      description: 'for this account only (default: every account without its own)',
    },
    faults: { ...section(FAULT_FIELDS, 'the faults; null clears them').schema(), nullable: true },
  },
};

export function rulesRoutes(app: FastifyInstance, smsc: AdminTarget): void {
  app.get('/api/rules', { schema: declared({ summary: 'the scenario rules' }) }, async () => ({
    rules: smsc.scenario.rules,
  }));
  app.put<{ Body: { rules: unknown[] } }>(
    '/api/rules',
    {
      schema: declared({ summary: 'replace the scenario rules', body: RULES_BODY }),
      preValidation: async (req) => {
        if (Array.isArray(req.body)) req.body = { rules: req.body };
      },
    },
    async (req) => {
      smsc.setRules(validateConfig({ rules: req.body.rules }, 'body').rules ?? []);
      return { rules: smsc.scenario.rules };
    },
  );
  app.get('/api/faults', { schema: declared({ summary: 'fault injection: global and per account' }) }, async () =>
    smsc.faults(),
  );
  app.put<{ Body: { systemId?: string; faults?: unknown } }>(
    '/api/faults',
    { schema: declared({ summary: 'set (or with faults: null, clear) fault injection', body: FAULTS_BODY }) },
    async (req) => {
      const { systemId, faults } = req.body;
      // with accounts configured, faults for one that is not would never apply (in the open mode any may bind)
      if (systemId !== undefined && !smsc.accounts.open && smsc.accounts.get(systemId) === undefined)
        throw new ApiError(400, `systemId: ${JSON.stringify(systemId)} is not a configured account`, 'systemId');
      const valid = faults === null ? undefined : validateConfig({ faults: faults ?? {} }, 'body').faults;
      smsc.setFaults(valid, systemId);
      return smsc.faults();
    },
  );
}
