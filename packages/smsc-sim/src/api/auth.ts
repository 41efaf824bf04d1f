// The admin API's token: `Authorization: Bearer <token>` on every route but GET /api/health and the console's
// static files (the event stream also takes `?token=`, an EventSource cannot set headers), compared in constant
// time over equal-length digests. A token is required when the API listens on a non-loopback address.
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ConfigError } from '../config/types.js';
import { send } from './errors.js';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** routes anyone may call: health, and the console's files (they carry no data) */
function isOpen(method: string, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  return path === '/api/health' || path === '/' || path === '/index.html' || path.startsWith('/console/');
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** Throws a ConfigError naming the option when a non-loopback API has no token. */
export function checkTokenNeeded(host: string, token: string | undefined): void {
  if (!token && !isLoopback(host))
    throw new ConfigError(
      `apiToken: the admin API listens on ${host} (httpHost), not a loopback address, and no token is set; ` +
        'set apiToken in the config file, --api-token or SMSC_API_TOKEN (or listen on 127.0.0.1)',
    );
}

export function installAuth(app: FastifyInstance, token: string | undefined): void {
  if (!token) return;
  const expected = digest(token);
  app.addHook('onRequest', async (req, reply) => {
    const path = (req.url.split('?')[0] ?? '/').replace(/\/+$/, '') || '/';
    if (isOpen(req.method, path)) return;
    const header = req.headers.authorization;
    let given = typeof header === 'string' && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
    if (given === undefined && path === '/api/events') {
      const q = req.url.indexOf('?');
      given = new URLSearchParams(q >= 0 ? req.url.slice(q + 1) : '').get('token') ?? undefined;
    }
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return;
    reply.header('www-authenticate', 'Bearer');
    return send(reply, 401, { error: 'missing or wrong API token' });
  });
}
