// The HTTP admin API (JSON) on node:http, and GET /metrics in Prometheus format.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateConfig } from '../config/load.js';
import {
  ConfigError,
  type FaultConfig,
  type OutbindTarget,
  type Rule,
  STATE_NAMES,
  type StateName,
} from '../config/types.js';
import type { AlertResult } from '../delivery/alerts.js';
import { MoError, type MoRequest, type MoResult } from '../delivery/mo.js';
import type { ConnectionInfo } from '../server/connection.js';
import type { MessageFilter } from '../store/record.js';
import type { Logger } from '../util/logger.js';
import type { MessageDetail } from './inspect.js';
import type { MessageView } from './message-view.js';

/** What the admin API works on (the simulator in smsc.ts is one). */
export interface AdminTarget {
  readonly metrics: { readonly contentType: string; text(): Promise<string> };
  readonly log: Logger;
  readonly startedAt: number;
  readonly port: number;
  readonly tlsPort: number | null;
  readonly connections: { readonly size: number };
  readonly store: { readonly path: string | null; count(): number; deleteAll(): number };
  readonly accounts: { readonly open: boolean };
  readonly delivery: { clear(): void };
  /** set_dpf: a handset's address became available */
  readonly alerts: { available(address: string): AlertResult };
  readonly scenario: { readonly rules: Rule[] };
  sessions(): ConnectionInfo[];
  messages(filter: MessageFilter): { total: number; messages: MessageView[] };
  message(id: string): MessageDetail | undefined;
  setRules(rules: Rule[]): void;
  faults(): { global: FaultConfig | null; accounts: Record<string, FaultConfig> };
  setFaults(faults: FaultConfig | undefined, systemId?: string): void;
  injectMo(req: MoRequest): MoResult;
  outbind(target: OutbindTarget): Promise<{ connection: number }>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 1024 * 1024;

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, `body larger than ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(new HttpError(400, `body is not valid JSON: ${(e as Error).message}`));
      }
    });
    req.on('error', reject);
  });
}

function int(q: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new HttpError(400, `${name}: ${JSON.stringify(v)} is not an integer in ${min}..${max}`);
  return n;
}

export function messageFilter(q: URLSearchParams): MessageFilter {
  const known = new Set(['systemId', 'from', 'to', 'state', 'since', 'limit', 'offset', 'direction', 'order']);
  for (const k of q.keys())
    if (!known.has(k)) throw new HttpError(400, `${k}: unknown query parameter (value ${JSON.stringify(q.get(k))})`);
  const f: MessageFilter = {};
  for (const k of ['systemId', 'from', 'to'] as const) {
    const v = q.get(k);
    if (v !== null) f[k] = v;
  }
  const state = q.get('state');
  if (state !== null) {
    const s = state.toUpperCase();
    if (!STATE_NAMES.includes(s as StateName))
      throw new HttpError(400, `state: ${JSON.stringify(state)} is not one of ${STATE_NAMES.join(', ')}`);
    f.state = s as StateName;
  }
  const dir = q.get('direction');
  if (dir !== null) {
    if (dir !== 'MT' && dir !== 'MO') throw new HttpError(400, `direction: ${JSON.stringify(dir)} is not MT or MO`);
    f.direction = dir;
  }
  const order = q.get('order');
  if (order !== null) {
    if (order !== 'asc' && order !== 'desc')
      throw new HttpError(400, `order: ${JSON.stringify(order)} is not asc or desc`);
    f.order = order;
  }
  const since = q.get('since');
  if (since !== null) {
    const ms = /^\d+$/.test(since) ? Number(since) : Date.parse(since);
    if (!Number.isFinite(ms))
      throw new HttpError(400, `since: ${JSON.stringify(since)} is not a date (ISO 8601 or epoch ms)`);
    f.since = ms;
  }
  f.limit = int(q, 'limit', 1, 10_000) ?? 100;
  f.offset = int(q, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  return f;
}

export class HttpApi {
  private readonly server: http.Server;
  port = 0;

  constructor(private readonly smsc: AdminTarget) {
    this.server = http.createServer((req, res) => {
      this.route(req, res).catch((e: unknown) => {
        const status = e instanceof HttpError ? e.status : e instanceof ConfigError || e instanceof MoError ? 400 : 500;
        if (status === 500) smsc.log.error({ err: (e as Error).stack, url: req.url }, 'http handler failed');
        send(res, status, { error: (e as Error).message });
      });
    });
    this.server.keepAliveTimeout = 1000;
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve(this.port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const m = req.method ?? 'GET';
    const smsc = this.smsc;
    if (path === '/metrics' && m === 'GET') {
      res.writeHead(200, { 'content-type': smsc.metrics.contentType });
      res.end(await smsc.metrics.text());
      return;
    }
    if (path === '/api/health' && m === 'GET') {
      return send(res, 200, {
        status: 'ok',
        uptimeMs: Date.now() - smsc.startedAt,
        port: smsc.port,
        tlsPort: smsc.tlsPort,
        sessions: smsc.connections.size,
        messages: smsc.store.count(),
        store: smsc.store.path ?? 'memory',
        openMode: smsc.accounts.open,
      });
    }
    if (path === '/api/sessions' && m === 'GET') return send(res, 200, { sessions: smsc.sessions() });
    if (path === '/api/messages') {
      if (m === 'GET') {
        const { total, messages } = smsc.messages(messageFilter(url.searchParams));
        return send(res, 200, { total, messages });
      }
      if (m === 'DELETE') {
        smsc.delivery.clear();
        return send(res, 200, { deleted: smsc.store.deleteAll() });
      }
    }
    const one = /^\/api\/messages\/([^/]+)$/.exec(path);
    if (one && m === 'GET') {
      const id = decodeURIComponent(one[1]);
      const msg = smsc.message(id);
      if (!msg) throw new HttpError(404, `message ${JSON.stringify(id)} not found`);
      return send(res, 200, msg);
    }
    if (path === '/api/rules') {
      if (m === 'GET') return send(res, 200, { rules: smsc.scenario.rules });
      if (m === 'PUT') {
        const body = await readJson(req);
        const rules = Array.isArray(body) ? body : (body as { rules?: unknown } | undefined)?.rules;
        const valid = validateConfig({ rules: rules ?? null }, 'body').rules ?? [];
        smsc.setRules(valid);
        return send(res, 200, { rules: smsc.scenario.rules });
      }
    }
    if (path === '/api/faults') {
      if (m === 'GET') return send(res, 200, smsc.faults());
      if (m === 'PUT') {
        const body = (await readJson(req)) as { systemId?: unknown; faults?: unknown } | undefined;
        if (!body || typeof body !== 'object') throw new HttpError(400, 'body: expected {faults, systemId?}');
        if (body.systemId !== undefined && typeof body.systemId !== 'string')
          throw new HttpError(400, `systemId: ${JSON.stringify(body.systemId)} is not a string`);
        const faults = body.faults === null ? undefined : validateConfig({ faults: body.faults ?? {} }, 'body').faults;
        smsc.setFaults(faults, body.systemId as string | undefined);
        return send(res, 200, smsc.faults());
      }
    }
    if (path === '/api/mo' && m === 'POST') {
      const body = await readJson(req);
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw new HttpError(400, 'body: expected {from, to, text, systemId?}');
      return send(res, 202, smsc.injectMo(body as never));
    }
    if (path === '/api/alerts' && m === 'POST') {
      const address = ((await readJson(req)) as { address?: unknown } | undefined)?.address;
      if (typeof address !== 'string' || address === '')
        throw new HttpError(400, `address: ${JSON.stringify(address)} is not a non-empty string`);
      return send(res, 200, { address, ...smsc.alerts.available(address) });
    }
    if (path === '/api/outbind' && m === 'POST') {
      const body = validateConfig({ outbind: [await readJson(req)] }, 'body').outbind![0];
      return send(res, 202, await smsc.outbind(body));
    }
    throw new HttpError(404, `${m} ${path}: no such endpoint`);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
