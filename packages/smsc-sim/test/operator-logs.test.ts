// What an operator reads in the log: the format (pretty on request or on a terminal, JSON lines when piped), one
// 'session closed' line per close with who and why, and a custom logger without pino's child/setBindings.
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { createLogger } from '../src/util/logger.js';
import { bindPdu, submitSmPdu } from './pdus.js';
import { rawClient } from './raw-client.js';
import { CLI, cliBuilt } from './spawn-sim.js';

let smsc: SmscHandle | undefined;
afterEach(async () => {
  await smsc?.close();
  smsc = undefined;
});

/** Starts the CLI with stdout piped, waits for its 'smsc-sim started' log line, stops it; returns stdout. */
function runCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'start', '--memory', '--port', '0', '--no-http', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('smsc-sim started')) child.kill('SIGTERM');
    });
    child.stderr.resume();
    child.on('exit', () => resolve(out));
    setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no 'smsc-sim started' within 10 s: ${out}`));
    }, 10_000).unref();
  });
}

describe.skipIf(!cliBuilt())('log format', () => {
  it('--log-format pretty: one line per event, ISO time first, no JSON object', async () => {
    const out = await runCli(['--log-format', 'pretty']);
    const lines = out.split('\n').filter((l) => l !== '');
    const started = lines.find((l) => l.includes('smsc-sim started'));
    expect(started).toMatch(
      /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] INFO \(smsc-sim\/\d+\): smsc-sim started port=\d+/,
    );
    expect(started).toContain('store="in memory (nothing kept after exit)"');
    for (const l of lines) {
      expect(l).toMatch(/^\[\d{4}-\d\d-\d\dT/);
      expect(l).not.toMatch(/[{}]/);
    }
    expect(lines.some((l) => l.includes('stopping: unbinding sessions') && l.includes('signal=SIGTERM'))).toBe(true);
  });

  it('JSON lines when stdout is not a terminal, and with --log-format json', async () => {
    for (const args of [[], ['--log-format', 'json']]) {
      const lines = (await runCli(args)).split('\n').filter((l) => l !== '');
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
      expect(lines.map((l) => JSON.parse(l).msg)).toContain('smsc-sim started');
    }
  });
});

async function bindAndClose(port: number, systemId: string): Promise<void> {
  const c = await rawClient(port);
  c.socket.write(bindPdu(1, systemId, 'pw'));
  expect((await c.next()).command_status).toBe(0);
  c.socket.end();
  await c.closed;
}

/** Resolves once `lines` holds n lines matching msg (the close is logged after the socket's close). */
async function until(lines: Array<Record<string, unknown>>, msg: string, n: number): Promise<void> {
  for (let i = 0; i < 200 && lines.filter((l) => l.msg === msg).length < n; i++)
    await new Promise((r) => setTimeout(r, 10));
}

describe('session closed', () => {
  it('is logged once per close, naming conn, remote, system_id, bind type, reason and counts', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s)) });
    smsc = await startSmsc({ logger, accounts: [{ systemId: 'acme', password: 'pw' }] });
    await bindAndClose(smsc.port, 'acme');
    // one that never binds
    const s = createConnection(smsc.port, '127.0.0.1');
    await new Promise((r) => s.on('connect', r));
    s.end();
    await until(lines, 'session closed', 2);
    await new Promise((r) => setTimeout(r, 50));
    const closed = lines.filter((l) => l.msg === 'session closed');
    expect(closed).toHaveLength(2);
    expect(closed[0]).toMatchObject({
      conn: 1,
      systemId: 'acme',
      bindType: 'transceiver',
      reason: 'peer-closed',
      prev: 'BOUND_TRX',
      unanswered: 0,
      decodeErrors: 0,
      leniency: 0,
    });
    expect(closed[0]!.remote).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(closed[1]).toMatchObject({ conn: 2, reason: 'peer-closed', prev: 'OPEN' });
    expect(closed[1]!.systemId).toBeUndefined();
  });

  it('works with a logger that is only debug/info/warn/error (no child, no setBindings)', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = (level: string) => (obj: object, msg?: string) => void lines.push({ level, ...obj, msg });
    const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
    smsc = await startSmsc({ logger, accounts: [{ systemId: 'acme', password: 'secret' }] });
    const c = await rawClient(smsc.port);
    c.socket.write(bindPdu(1, 'acme', 'secret'));
    expect((await c.next()).command_status).toBe(0);
    c.socket.write(submitSmPdu(2));
    expect((await c.next()).command_status).toBe(0);
    c.socket.end();
    await c.closed;
    await until(lines, 'session closed', 1);
    const closed = lines.filter((l) => l.msg === 'session closed');
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ level: 'info', conn: 1, systemId: 'acme', bindType: 'transceiver' });
    expect(JSON.stringify(lines)).not.toContain('secret');
  });
});
