// The admin API's token: off (no header needed), on (every route but /api/health and the console's files needs
// it; wrong or missing → 401 JSON; the event stream takes ?token=), and required off loopback (a config error
// naming apiToken; exit 2 from the CLI; SMSC_API_TOKEN satisfies it).
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, type SmscHandle, startSmsc } from '../src/index.js';
import { apiClient } from './http-helpers.js';
import { CLI, spawnSim } from './spawn-sim.js';

const TOKEN = 'a-long-enough-test-token';
let open: SmscHandle;
let locked: SmscHandle;
const base = (s: () => SmscHandle) => () => `http://127.0.0.1:${s().httpPort}`;

beforeAll(async () => {
  open = await startSmsc({ httpPort: 0, logLevel: 'silent' });
  locked = await startSmsc({ httpPort: 0, logLevel: 'silent', apiToken: TOKEN });
});
afterAll(async () => {
  await open.close();
  await locked.close();
});

describe('admin API token', () => {
  it('is not asked for when none is set', async () => {
    const api = apiClient(base(() => open));
    expect((await api('GET', '/api/sessions')).status).toBe(200);
    expect((await api('DELETE', '/api/messages')).status).toBe(200);
  });

  it('when set, is required on every route but /api/health and the console files', async () => {
    const none = apiClient(base(() => locked));
    const wrong = apiClient(
      base(() => locked),
      'not-the-token',
    );
    const right = apiClient(
      base(() => locked),
      TOKEN,
    );
    for (const [method, path] of [
      ['GET', '/api/sessions'],
      ['GET', '/api/messages'],
      ['DELETE', '/api/messages'],
      ['PUT', '/api/rules'],
      ['POST', '/api/mo'],
      ['GET', '/api'],
      ['GET', '/api/openapi.json'],
      ['GET', '/api/events'],
      ['GET', '/metrics'],
      ['GET', '/api/nothing'],
    ] as const) {
      for (const client of [none, wrong]) {
        const r = await client(method, path);
        expect(r.status, `${method} ${path}`).toBe(401);
        expect(r.json).toEqual({ error: 'missing or wrong API token' });
        expect(r.headers.get('www-authenticate')).toBe('Bearer');
      }
    }
    expect((await right('GET', '/api/sessions')).status).toBe(200);
    expect((await right('GET', '/api/messages?limit=1')).status).toBe(200);
    expect((await none('GET', '/api/health')).status).toBe(200);
    // the console's page carries no data: served (or 503 while not built) without a token
    expect([200, 503]).toContain((await none('GET', '/')).status);
    expect((await none('GET', '/api/sessions', undefined, { authorization: `Basic ${TOKEN}` })).status).toBe(401);
    expect((await none('GET', '/api/sessions', undefined, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
  });

  it('the event stream takes ?token= (an EventSource sets no header)', async () => {
    const url = `http://127.0.0.1:${locked.httpPort}/api/events`;
    expect((await fetch(`${url}?token=wrong`)).status).toBe(401);
    const ac = new AbortController();
    const r = await fetch(`${url}?token=${TOKEN}`, { signal: ac.signal });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    ac.abort();
    // elsewhere a query token is not accepted
    expect((await fetch(`http://127.0.0.1:${locked.httpPort}/api/sessions?token=${TOKEN}`)).status).toBe(401);
  });

  it('is required when the admin API listens off loopback', async () => {
    await expect(startSmsc({ httpPort: 0, httpHost: '0.0.0.0', logLevel: 'silent' })).rejects.toThrow(ConfigError);
    await expect(startSmsc({ httpPort: 0, httpHost: '0.0.0.0', logLevel: 'silent' })).rejects.toThrow(
      /^apiToken: the admin API listens on 0\.0\.0\.0 \(httpHost\), not a loopback address/,
    );
    const s = await startSmsc({ httpPort: 0, httpHost: '0.0.0.0', logLevel: 'silent', apiToken: TOKEN });
    await s.close();
    // no admin API, no token needed
    await (await startSmsc({ httpPort: null, httpHost: '0.0.0.0', logLevel: 'silent' })).close();
  });

  it('the CLI refuses to start off loopback without a token (exit 2), and takes --api-token or SMSC_API_TOKEN', async () => {
    const args = [
      'start',
      '--memory',
      '--log-level',
      'silent',
      '--port',
      '0',
      '--http-port',
      '0',
      '--http-host',
      '0.0.0.0',
    ];
    const env = { ...process.env, SMSC_API_TOKEN: '' };
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 15_000, env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^smsc-sim: apiToken: the admin API listens on 0\.0\.0\.0 \(httpHost\)/);
    expect(r.stderr).toMatch(/--api-token or SMSC_API_TOKEN/);
    const short = spawnSync(process.execPath, [CLI, ...args, '--api-token', 'x'], { encoding: 'utf8', env });
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/apiToken: "x" must be a string of 8\.\.1024 characters/);
    process.env.SMSC_API_TOKEN = TOKEN;
    try {
      const sim = await spawnSim(args.slice(1));
      try {
        expect(sim.stderr()).toMatch(/admin API: http:\/\/0\.0\.0\.0:\d+\/api \(token required\)/);
        const api = apiClient(() => `http://127.0.0.1:${sim.httpPort}`);
        expect((await api('GET', '/api/sessions')).status).toBe(401);
        expect((await apiClient(() => `http://127.0.0.1:${sim.httpPort}`, TOKEN)('GET', '/api/sessions')).status).toBe(
          200,
        );
      } finally {
        sim.child.kill('SIGKILL');
      }
    } finally {
      delete process.env.SMSC_API_TOKEN;
    }
  });
});
