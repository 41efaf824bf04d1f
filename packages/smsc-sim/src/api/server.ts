// The HTTP admin API on fastify: routes declared with JSON schemas (routes/*.ts), errors as JSON naming the field
// (errors.ts), the token (auth.ts), the event stream (events.ts), the console's files (static.ts) and /metrics.
// Bodies are JSON only, at most MAX_BODY bytes and MAX_DEPTH levels deep; an absolute-form request target
// (`GET http://host/api/health`) is routed by its path.
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Ajv } from 'ajv';
import Fastify, { type FastifyInstance, type FastifySchema } from 'fastify';
import { installAuth } from './auth.js';
import { ApiError, frameworkErrors, installErrors, MAX_BODY, send } from './errors.js';
import { EventStreams } from './events.js';
import { messageRoutes } from './routes/messages.js';
import { metaRoutes, type RouteDoc } from './routes/meta.js';
import { moRoutes } from './routes/mo.js';
import { rulesRoutes } from './routes/rules.js';
import { sessionRoutes } from './routes/sessions.js';
import { statsRoutes } from './routes/stats.js';
import { staticRoutes } from './static.js';
import type { AdminTarget } from './target.js';

export const MAX_DEPTH = 64;

export interface HttpApiOptions {
  token?: string;
  /** the console's built files (default: dist/console beside this module) */
  consoleDir?: string;
}

/** How deep a JSON text nests (brackets outside strings), stopping once past max. */
function depthOver(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** absolute-form (`http://host/path`): the path and query, even when the authority is not valid */
function originForm(url: string | undefined): string {
  if (!url) return '/';
  if (url.startsWith('/')) return url;
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/is.exec(url);
  if (!m) return `/${url}`; // asterisk-form or garbage: no route has it
  return m[1].startsWith('/') ? m[1] : `/${m[1]}`;
}

/** what the HTTP parser refuses (before fastify sees a request): the same JSON, then the connection closes */
function clientError(e: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, text] =
    e.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
  const body = JSON.stringify({ error: `request: not valid HTTP (${e.code ?? e.message})`, field: 'request' }, null, 2);
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function buildApp(smsc: AdminTarget, opts: HttpApiOptions, events: EventStreams): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: MAX_BODY,
    keepAliveTimeout: 1000,
    routerOptions: { ignoreTrailingSlash: true },
    rewriteUrl: (req) => originForm(req.url),
    clientErrorHandler: clientError,
    frameworkErrors,
  });
  // bodies as sent (no coercion: 4 is not "4"); query and URL parameters are text, coerced to their types
  const common = {
    removeAdditional: false,
    useDefaults: true,
    verbose: true,
    allErrors: false,
    strict: false,
  } as const;
  const bodies = new Ajv({ ...common, coerceTypes: false });
  const params = new Ajv({ ...common, coerceTypes: 'array' });
  for (const a of [bodies, params]) a.addFormat('regex', true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodies : params).compile(schema as object));
  const routes: RouteDoc[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: r.url, schema: (r.schema ?? {}) as FastifySchema });
  });
  installErrors(app, smsc.log);
  installAuth(app, opts.token);
  app.setReplySerializer((payload) => JSON.stringify(payload, null, 2));
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    if (depthOver(text, MAX_DEPTH))
      return done(new ApiError(400, `body: JSON nested deeper than ${MAX_DEPTH} levels`, 'body'), undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(new ApiError(400, `body: not valid JSON: ${(e as Error).message}`, 'body'), undefined);
    }
  });
  // one case rule for enum query values: matched case-insensitively, answered as the schema spells them
  app.addHook('preValidation', async (req) => {
    const props = (req.routeOptions.schema?.querystring as { properties?: Record<string, { enum?: unknown[] }> })
      ?.properties;
    const q = req.query as Record<string, unknown> | undefined;
    if (!props || !q) return;
    for (const [k, s] of Object.entries(props)) {
      const v = q[k];
      if (typeof v !== 'string' || !s.enum) continue;
      const hit = s.enum.find((e) => typeof e === 'string' && e.toLowerCase() === v.toLowerCase());
      if (hit !== undefined) q[k] = hit;
    }
  });
  app.get('/metrics', { schema: { summary: 'Prometheus metrics (text format)' } }, async (_req, reply) => {
    reply.type(smsc.metrics.contentType);
    return smsc.metrics.text();
  });
  sessionRoutes(app, smsc);
  messageRoutes(app, smsc);
  rulesRoutes(app, smsc);
  moRoutes(app, smsc);
  statsRoutes(app, smsc);
  events.mount(app);
  staticRoutes(app, opts.consoleDir);
  metaRoutes(app, routes);
  app.setNotFoundHandler((req, reply) => {
    const path = (req.url.split('?')[0] ?? '/').replace(/(.)\/+$/, '$1');
    const allow = [...new Set(routes.filter((r) => matches(r.url, path)).map((r) => r.method))];
    if (allow.length && !allow.includes(req.method)) {
      if (allow.includes('GET')) allow.push('HEAD');
      reply.header('allow', allow.join(', '));
      return send(reply, 405, { error: `${req.method} ${path}: method not allowed (allowed: ${allow.join(', ')})` });
    }
    return send(reply, 404, { error: `${req.method} ${path}: no such endpoint` });
  });
  return app;
}

/** a route path (`/api/messages/:id`) against a request path */
function matches(route: string, path: string): boolean {
  const a = route.split('/');
  const b = path.split('/');
  return a.length === b.length && a.every((s, i) => s.startsWith(':') || s === '*' || s === b[i]);
}

export class HttpApi {
  private readonly app: FastifyInstance;
  private readonly events: EventStreams;
  port = 0;

  constructor(smsc: AdminTarget, opts: HttpApiOptions = {}) {
    this.events = new EventStreams(smsc);
    this.app = buildApp(smsc, opts, this.events);
  }

  async listen(port: number, host: string): Promise<number> {
    await this.app.listen({ port, host });
    this.port = (this.app.server.address() as AddressInfo).port;
    return this.port;
  }

  async close(): Promise<void> {
    this.events.close();
    this.app.server.closeAllConnections();
    await this.app.close();
  }
}
