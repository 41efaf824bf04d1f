// The web console's built files: GET / (index.html) and GET /console/<file>, from dist/console (written by the
// console's build). 503 JSON while it is not built; only plain files inside that directory are served.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { send } from './errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** dist/console beside dist/api; run from src (tests), the built one in dist */
function defaultDir(): string {
  const candidates = ['../console/', '../../dist/console/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((d) => existsSync(d)) ?? candidates[0];
}

async function serve(reply: FastifyReply, dir: string, rel: string): Promise<FastifyReply> {
  const root = resolve(dir);
  if (!existsSync(root)) return send(reply, 503, { error: 'console not built' });
  const file = resolve(root, rel);
  const bad = rel.split(/[/\\]/).some((s) => s === '..') || rel.includes('\0');
  if (bad || !file.startsWith(root + sep))
    return send(reply, 404, { error: `console/${rel}: no such file`, field: 'path' });
  const st = await stat(file).catch(() => null);
  if (!st?.isFile()) return send(reply, 404, { error: `console/${rel}: no such file`, field: 'path' });
  reply.type(TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
  reply.header('cache-control', 'no-cache');
  reply.header('x-content-type-options', 'nosniff');
  return reply.send(await readFile(file));
}

export function staticRoutes(app: FastifyInstance, consoleDir?: string): void {
  const dir = () => consoleDir ?? defaultDir();
  app.get('/', { schema: { summary: 'the web console' } }, (_req, reply) => serve(reply, dir(), 'index.html'));
  app.get<{ Params: { '*': string } }>('/console/*', { schema: { summary: "the console's assets" } }, (req, reply) =>
    serve(reply, dir(), req.params['*']),
  );
}
