// GET /api (the endpoints) and GET /api/openapi.json (an OpenAPI 3 document), both from the routes as registered
// with their schemas: nothing here is written twice.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifySchema } from 'fastify';

export interface RouteDoc {
  method: string;
  url: string;
  schema: FastifySchema;
}

const VERSION = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

const ERROR = {
  description: 'error naming the field and the value',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'string' }, field: { type: 'string' } },
      },
    },
  },
};

type Props = { properties?: Record<string, Record<string, unknown>>; required?: string[] };

function parameters(where: 'query' | 'path', s: unknown): unknown[] {
  const { properties = {}, required = [] } = (s ?? {}) as Props;
  return Object.entries(properties).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return { name, in: where, required: where === 'path' || required.includes(name), description, schema: rest };
  });
}

export function openApi(routes: RouteDoc[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    if (r.url === '*' || r.url.startsWith('/console/')) continue;
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    const s = r.schema;
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: s.summary,
      parameters: [...parameters('path', s.params), ...parameters('query', s.querystring)],
      ...(s.body ? { requestBody: { required: true, content: { 'application/json': { schema: s.body } } } } : {}),
      responses: {
        '2XX': { description: 'success' },
        '4XX': ERROR,
      },
      ...(path === '/api/health' || path === '/' ? {} : { security: [{ token: [] }] }),
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'smsc-sim admin API', version: VERSION },
    components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

export function metaRoutes(app: FastifyInstance, routes: RouteDoc[]): void {
  app.get('/api', { schema: { summary: 'the endpoints of this API' } }, async () => ({
    endpoints: routes
      .filter((r) => r.url !== '*')
      .map((r) => ({ method: r.method, path: r.url, summary: r.schema.summary ?? '' })),
    openapi: '/api/openapi.json',
  }));
  app.get('/api/openapi.json', { schema: { summary: 'this API as an OpenAPI 3 document' } }, async () =>
    openApi(routes),
  );
}
