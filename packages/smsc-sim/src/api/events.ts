// GET /api/events: server-sent events. `tick` each second with the submits, receipts and MO of that second (from
// the totals the metrics keep), `sessions` after each bind and each closed session, a `: ping` comment every 15 s.
// At most MAX_STREAMS at once (503 beyond); a stream is forgotten when its client goes.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { send } from './errors.js';
import type { ActivityTotals, AdminTarget } from './target.js';

export const MAX_STREAMS = 50;
const PING_EVERY = 15;

export class EventStreams {
  private readonly streams = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private last: ActivityTotals = { submits: 0, receipts: 0, mo: 0 };
  private ticks = 0;

  constructor(private readonly smsc: AdminTarget) {}

  mount(app: FastifyInstance): void {
    app.get(
      '/api/events',
      {
        schema: {
          summary: 'server-sent events: tick (each second), sessions (on bind and close); token also as ?token=',
          querystring: {
            type: 'object',
            properties: { token: { type: 'string', description: 'the API token (an EventSource sets no header)' } },
          },
        },
      },
      async (req, reply) => {
        if (this.streams.size >= MAX_STREAMS)
          return send(reply, 503, { error: `too many event streams (at most ${MAX_STREAMS})` });
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        res.write(`retry: 2000\n\n${this.event('sessions', { sessions: this.smsc.sessions() })}`);
        this.streams.add(res);
        req.raw.socket.setTimeout(0);
        res.on('close', () => this.remove(res));
        this.start();
      },
    );
  }

  private event(name: string, data: unknown): string {
    return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  }

  private broadcast(text: string): void {
    // called from the simulator's bind and close paths: a stream that fails is dropped, never thrown into them
    for (const s of this.streams) {
      try {
        s.write(text);
      } catch (e) {
        this.smsc.log.debug({ err: (e as Error).message }, 'event stream write failed');
        s.destroy();
        this.remove(s);
      }
    }
  }

  private start(): void {
    if (this.timer) return;
    this.last = { ...this.smsc.activity() };
    this.ticks = 0;
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
    this.unsubscribe = this.smsc.onSessionsChange(() =>
      this.broadcast(this.event('sessions', { sessions: this.smsc.sessions() })),
    );
  }

  private tick(): void {
    const now = this.smsc.activity();
    const data = {
      t: Date.now(),
      submits: now.submits - this.last.submits,
      receipts: now.receipts - this.last.receipts,
      mo: now.mo - this.last.mo,
      sessions: this.smsc.connections.size,
    };
    this.last = { ...now };
    let text = this.event('tick', data);
    if (++this.ticks % PING_EVERY === 0) text += ': ping\n\n';
    this.broadcast(text);
  }

  private remove(res: ServerResponse): void {
    this.streams.delete(res);
    if (this.streams.size === 0) this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  get size(): number {
    return this.streams.size;
  }

  close(): void {
    for (const s of this.streams) s.end();
    this.streams.clear();
    this.stop();
  }
}
