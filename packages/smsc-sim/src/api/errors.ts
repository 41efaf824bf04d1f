// Every error the admin API answers: JSON `{ error, field? }` with a 4xx status naming the field and the value
// (schema validation, bad URLs, bodies too large or not JSON, unknown routes, wrong methods); a 500 only for a bug,
// logged with its stack.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConfigError } from '../config/types.js';
import { MoError } from '../delivery/mo.js';
import type { Logger } from '../util/logger.js';

/** the largest body read (bytes) */
export const MAX_BODY = 1024 * 1024;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: string;
  field?: string;
}

/** A value in an error message: JSON, cut short (a value may be huge or deeply nested). */
export function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = Array.isArray(v) ? '[…]' : typeof v === 'object' ? '{…}' : String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
  data?: unknown;
  /** `x-expected`: what a value must be, in words (for an anyOf) */
  parentSchema?: { description?: string; 'x-expected'?: string };
}

/** '/rules/2/errorStatus' in the body → 'rules[2].errorStatus'; a query parameter or URL param by its name */
function fieldOf(path: string): string {
  return path
    .split('/')
    .slice(1)
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
}

const ARTICLE: Record<string, string> = { integer: 'an integer', object: 'an object', array: 'an array' };

/** one ajv error as `field: value <what is wrong>`; the raw query value when the query was coerced */
function describe(e: AjvError, context: string, raw: (f: string) => unknown): ErrorBody {
  let field = fieldOf(e.instancePath);
  // the whole body (or query) is wrong: named by its part
  if (!field && e.keyword === 'type' && (e.data === undefined || e.data === null))
    return { error: `${context} is required (a JSON ${e.params.type})`, field: context };
  const value = context === 'querystring' && field ? (raw(field) ?? e.data) : e.data;
  const at = (f: string) => (f ? `${f}: ${show(value)}` : `${context}: ${show(value)}`);
  switch (e.keyword) {
    case 'required': {
      field = [field, e.params.missingProperty].filter(Boolean).join('.');
      return { error: `${field} is required`, field };
    }
    case 'additionalProperties': {
      field = [field, e.params.additionalProperty].filter(Boolean).join('.');
      return { error: `${field}: unknown ${context === 'querystring' ? 'query parameter' : 'key'}`, field };
    }
    case 'type': {
      const t = String(e.params.type).split(',')[0];
      return { error: `${at(field)} is not ${ARTICLE[t] ?? `a ${t}`}`, field };
    }
    case 'enum':
      return {
        error: `${at(field)} is not one of ${(e.params.allowedValues as unknown[]).map(String).join(', ')}`,
        field,
      };
    case 'anyOf':
    case 'oneOf':
      return { error: `${at(field)} is not ${e.parentSchema?.['x-expected'] ?? 'valid'}`, field };
    default:
      return { error: `${at(field)} ${e.message ?? 'is not valid'}`, field };
  }
}

/** The error answered for a validation failure: an anyOf's own error rather than its branches'. */
export function validationBody(errors: AjvError[], context: string, rawQuery: URLSearchParams): ErrorBody {
  const e = errors.find((x) => x.keyword === 'anyOf' || x.keyword === 'oneOf') ?? errors[0];
  return describe(e, context, (f) => rawQuery.get(f) ?? undefined);
}

function rawQuery(req: FastifyRequest): URLSearchParams {
  const url = req.raw.url ?? '';
  const q = url.indexOf('?');
  return new URLSearchParams(q >= 0 ? url.slice(q + 1) : '');
}

/** fastify's own errors (FST_ERR_…) that are the client's fault, by code */
const CLIENT: Record<string, (e: FastifyError, req: FastifyRequest) => ErrorBody & { status: number }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => ({ status: 413, error: `body: larger than ${MAX_BODY} bytes`, field: 'body' }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (_e, req) => ({
    status: 415,
    error: `content-type: ${show(req.headers['content-type'] ?? null)} is not application/json`,
    field: 'content-type',
  }),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => ({ status: 400, error: 'body: empty, expected JSON', field: 'body' }),
  FST_ERR_CTP_INVALID_JSON_BODY: (e) => ({ status: 400, error: `body: not valid JSON: ${e.message}`, field: 'body' }),
  FST_ERR_BAD_URL: (_e, req) => ({
    status: 400,
    error: `url: ${show(req.raw.url)} is not a valid URL (bad percent-encoding)`,
    field: 'url',
  }),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => ({ status: 400, error: 'content-length: does not match the body' }),
};

export function send(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(body, null, 2));
}

export function installErrors(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((e: FastifyError, req, reply) => {
    if (e.validation)
      return send(reply, 400, validationBody(e.validation as AjvError[], e.validationContext ?? 'body', rawQuery(req)));
    if (e instanceof ApiError) return send(reply, e.status, { error: e.message, ...(e.field && { field: e.field }) });
    if (e instanceof ConfigError || e instanceof MoError) {
      const field = /^(?:body: )?([\w.[\]]+):/.exec(e.message)?.[1];
      return send(reply, 400, { error: e.message, ...(field && { field }) });
    }
    const known = e.code ? CLIENT[e.code] : undefined;
    if (known) {
      const { status, ...body } = known(e, req);
      return send(reply, status, body);
    }
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500)
      return send(reply, e.statusCode, { error: e.message });
    log.error({ err: e.stack, url: req.url }, 'http handler failed');
    return send(reply, 500, { error: `internal error: ${e.message}` });
  });
}

/** fastify's errors before routing (a URL it cannot decode): the same JSON */
export function frameworkErrors(e: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const known = e.code ? CLIENT[e.code] : undefined;
  const { status, ...body } = known ? known(e, req) : { status: 400, error: `url: ${e.message}`, field: 'url' };
  send(reply, status, body);
}
