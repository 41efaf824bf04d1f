// Kannel (bearerbox + smsbox, the open-source SMS gateway) as an independent SMPP client.
// Starts both boxes on free loopback ports with a generated configuration that binds one
// SMPP transceiver to the given SMSC, and exposes Kannel's sendsms HTTP interface.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function haveKannel(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v bearerbox && command -v smsbox'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface KannelOptions {
  smscPort: number;
  systemId: string;
  password: string;
  /** URL Kannel calls for each mobile-originated message (%p from, %P to, %a text). */
  moUrl: string;
  /** Kannel msg-id-type; omit for opaque string ids */
  msgIdType?: number;
}

export interface Kannel {
  sendsmsUrl(params: Record<string, string>): string;
  logs(): string;
  stop(): Promise<void>;
}

export async function startKannel(opts: KannelOptions): Promise<Kannel> {
  const dir = mkdtempSync(join(tmpdir(), 'kannel-'));
  const [adminPort, smsboxPort, sendsmsPort] = [await freePort(), await freePort(), await freePort()];
  const conf = [
    'group = core',
    `admin-port = ${adminPort}`,
    'admin-password = adminpw',
    `smsbox-port = ${smsboxPort}`,
    'admin-allow-ip = "127.0.0.1"',
    'box-allow-ip = "127.0.0.1"',
    `log-file = "${dir}/bearerbox.log"`,
    'log-level = 0',
    'dlr-storage = internal',
    `store-type = spool`,
    `store-location = "${dir}/store"`,
    '',
    'group = smsc',
    'smsc = smpp',
    'smsc-id = sim',
    'host = 127.0.0.1',
    `port = ${opts.smscPort}`,
    'transceiver-mode = true',
    `smsc-username = "${opts.systemId}"`,
    `smsc-password = "${opts.password}"`,
    'system-type = "KANNEL"',
    'source-addr-ton = 5',
    'source-addr-npi = 0',
    'dest-addr-ton = 1',
    'dest-addr-npi = 1',
    'enquire-link-interval = 30',
    'reconnect-delay = 1',
    ...(opts.msgIdType === undefined ? [] : [`msg-id-type = ${opts.msgIdType}`]),
    '',
    'group = smsbox',
    'bearerbox-host = 127.0.0.1',
    `sendsms-port = ${sendsmsPort}`,
    `log-file = "${dir}/smsbox.log"`,
    'log-level = 0',
    '',
    'group = sendsms-user',
    'username = tester',
    'password = foobar',
    'max-messages = 10',
    'concatenation = true',
    '',
    'group = sms-service',
    'keyword = default',
    'catch-all = true',
    'max-messages = 0',
    `get-url = "${opts.moUrl}"`,
    '',
  ].join('\n');
  mkdirSync(join(dir, 'store'));
  const confFile = join(dir, 'kannel.conf');
  writeFileSync(confFile, conf);
  const procs: ChildProcess[] = [];
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
  const box = (name: string) => {
    const out = openSync(join(dir, `${name}.out`), 'w');
    const p = spawn(name, [confFile], { stdio: ['ignore', out, out] });
    procs.push(p);
    return p;
  };
  try {
    box('bearerbox');
    await waitForPort(smsboxPort, 15_000);
    box('smsbox');
    await waitForPort(sendsmsPort, 15_000);
  } catch (err) {
    for (const p of procs) p.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${read('bearerbox.out')}\n${read('smsbox.out')}`);
  }
  return {
    sendsmsUrl(params) {
      const q = new URLSearchParams({ username: 'tester', password: 'foobar', ...params });
      return `http://127.0.0.1:${sendsmsPort}/cgi-bin/sendsms?${q.toString()}`;
    },
    logs: () => `--- bearerbox.log\n${read('bearerbox.log')}\n--- smsbox.log\n${read('smsbox.log')}`,
    async stop() {
      for (const p of procs.reverse()) {
        if (p.exitCode === null) {
          p.kill('SIGTERM');
          await new Promise<void>((resolve) => {
            const t = setTimeout(() => {
              p.kill('SIGKILL');
              resolve();
            }, 5000);
            p.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
          });
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const { connect } = await import('node:net');
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
}
