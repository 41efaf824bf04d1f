#!/usr/bin/env node
// smsc-sim: the command line. `smsc-sim start` runs the simulator; `smsc-sim mo` injects a mobile-originated
// message into a running one through its HTTP API.
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { checkTokenNeeded } from './api/auth.js';
import { ConfigError, type LogLevel, type SimConfig } from './config/types.js';
import type { MoResult } from './delivery/mo.js';
import { ANY } from './delivery/receivers.js';
import { resolveConfig, type StartOptions, startWithConfig } from './index.js';
import { createLogger } from './util/logger.js';

const int =
  (name: string, min: number, max: number) =>
  (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max)
      throw new InvalidArgumentError(`${name}: ${JSON.stringify(v)} is not an integer in ${min}..${max}`);
    return n;
  };

const program = new Command();
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;
program
  .name('smsc-sim')
  .description('SMPP SMSC simulator: store and forward, receipts, scenarios, faults')
  .version(VERSION, '-V, --version', 'print the version')
  // A usage error is one line naming the option (commander's message, without the restated option spec) and a
  // pointer to --help, exit 2; --help and --version exit 0. Subcommands inherit this.
  .configureOutput({
    outputError: (msg, write) =>
      write(`smsc-sim: ${msg.replace(/^error: /, '').replace(/^option '[^']*' argument '[^']*' is invalid\. /, '')}`),
  })
  .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2))
  .showHelpAfterError('(smsc-sim --help lists the commands)');

/** The listener an EADDRINUSE is about (SMPP, TLS or admin API), named with its address and the flag to change. */
function addressInUse(config: SimConfig, e: unknown): string | null {
  const err = e as NodeJS.ErrnoException & { port?: number; address?: string };
  if (err.code !== 'EADDRINUSE' || err.port === undefined) return null;
  const listeners: Array<[string, string, number | null | undefined, string]> = [
    ['SMPP port', config.host, config.port, '--port'],
    ['TLS port', config.host, config.tls?.port, '--tls-port'],
    ['admin API port', config.httpHost, config.httpPort, '--http-port'],
  ];
  const hit = listeners.filter(([, , port]) => port === err.port);
  if (hit.length === 0) return null;
  const what = hit.map(([name]) => name).join(' or ');
  const flags = hit.map(([, , , flag]) => flag).join(' or ');
  return `the ${what} ${err.address ?? hit[0]![1]}:${err.port} is already in use; choose another with ${flags} (0 = any free port)`;
}

program
  .command('start')
  .description('start the simulator (SMPP listener, HTTP admin API)')
  .showHelpAfterError('(smsc-sim start --help lists the options)')
  .option('-c, --config <file>', 'YAML or JSON config file')
  .option('--host <host>', 'listen address (default 127.0.0.1)')
  .option('-p, --port <port>', 'SMPP port (default 2775)', int('--port', 0, 65535))
  .option('--http-port <port>', 'HTTP admin API port (default 8775)', int('--http-port', 0, 65535))
  .option('--no-http', 'no HTTP admin API')
  .option('--http-host <host>', 'HTTP admin API listen address (default 127.0.0.1)')
  .option(
    '--api-token <token>',
    'token the admin API requires (Authorization: Bearer); default $SMSC_API_TOKEN; required off loopback',
  )
  .option('--db <path>', 'SQLite store file (default ./data/smsc.db)')
  .option('--memory', 'keep messages in memory only')
  .option('--seed <n>', 'seed of the scenario engine', int('--seed', 0, 2 ** 32 - 1))
  .option('--log-level <level>', 'fatal, error, warn, info, debug (PDU trace), trace, silent')
  .option('--tls-port <port>', 'also listen with TLS on this port', int('--tls-port', 0, 65535))
  .option('--tls-cert <file>', 'TLS certificate (PEM)')
  .option('--tls-key <file>', 'TLS private key (PEM)')
  .action(async (o: Record<string, unknown>) => {
    let config: SimConfig;
    try {
      if ((o.tlsPort !== undefined || o.tlsCert || o.tlsKey) && !(o.tlsPort !== undefined && o.tlsCert && o.tlsKey)) {
        throw new ConfigError('--tls-port, --tls-cert and --tls-key go together');
      }
      if (o.db && o.memory) throw new ConfigError('--db and --memory exclude each other');
      const opts: StartOptions = {
        config: o.config as string | undefined,
        host: o.host as string | undefined,
        port: o.port as number | undefined,
        httpPort: o.http === false ? null : (o.httpPort as number | undefined),
        httpHost: o.httpHost as string | undefined,
        apiToken: (o.apiToken as string | undefined) ?? (process.env.SMSC_API_TOKEN || undefined),
        store: o.memory ? 'memory' : o.db ? { path: o.db as string } : undefined,
        seed: o.seed as number | undefined,
        logLevel: o.logLevel as LogLevel | undefined,
        tls:
          o.tlsPort !== undefined
            ? { port: o.tlsPort as number, cert: o.tlsCert as string, key: o.tlsKey as string }
            : undefined,
      };
      config = resolveConfig(opts);
      if (config.httpPort !== null) checkTokenNeeded(config.httpHost, config.apiToken);
    } catch (e) {
      process.stderr.write(`smsc-sim: ${(e as Error).message}\n`);
      process.exit(2);
    }
    const log = createLogger(config.logLevel);
    let handle;
    try {
      handle = await startWithConfig(config, log);
    } catch (e) {
      process.stderr.write(`smsc-sim: cannot start: ${addressInUse(config, e) ?? (e as Error).message}\n`);
      process.exit(1);
    }
    const h = handle;
    const store = config.store === 'memory' ? 'in memory (nothing kept after exit)' : `SQLite ${config.store.path}`;
    const account = config.accounts[0];
    const creds = account ? `${account.systemId}:${account.password}` : 'test:test';
    const lines = [
      `smsc-sim listening on smpp://${config.host}:${h.port}${h.tlsPort !== null ? ` and smpps://${config.host}:${h.tlsPort} (TLS)` : ''}`,
      `  store:     ${store}`,
      config.accounts.length
        ? `  accounts:  ${config.accounts.map((a) => a.systemId).join(', ')}`
        : '  accounts:  none configured: any system_id/password may bind, from a loopback address only',
      h.httpPort !== null
        ? `  admin API: http://${config.httpHost}:${h.httpPort}/api${config.apiToken ? ' (token required)' : ''}   console: http://${config.httpHost}:${h.httpPort}/   metrics: /metrics`
        : '  admin API: off',
      '',
      'Connect an ESME: bind_transceiver (or _transmitter/_receiver) with ' +
        (account ? `system_id '${account.systemId}', password '${account.password}'` : 'any system_id and password'),
      'Send one and wait for its receipt:',
      `  npx esme send --url smpp://${creds}@${config.host}:${h.port} --from 12345 --to 4790000001 --text "hello" --wait-dlr 10`,
      h.httpPort !== null
        ? `Inject a mobile-originated message:\n  npx smsc-sim mo --http http://${config.httpHost}:${h.httpPort}${config.apiToken ? ' --api-token <token>' : ''} --from 4790000001 --to 12345 --text "hi back"`
        : '',
      h.httpPort !== null
        ? `See what arrived:\n  curl -s${config.apiToken ? ' -H "Authorization: Bearer <token>"' : ''} http://${config.httpHost}:${h.httpPort}/api/messages`
        : '',
      '',
    ];
    process.stderr.write(lines.filter((l, i, a) => l !== '' || a[i - 1] !== '').join('\n') + '\n');
    log.info({ port: h.port, tlsPort: h.tlsPort, httpPort: h.httpPort, store }, 'smsc-sim started');
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'stopping: unbinding sessions and flushing the store');
      const force = setTimeout(() => {
        process.stderr.write('smsc-sim: shutdown took too long\n');
        process.exit(1);
      }, 10_000);
      force.unref();
      h.close().then(
        () => {
          log.flush();
          process.exitCode = 0;
          setImmediate(() => process.exit(0));
        },
        (e) => {
          process.stderr.write(`smsc-sim: shutdown failed: ${(e as Error).message}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });

program
  .command('mo')
  .description('inject a mobile-originated message into a running simulator (through its HTTP API)')
  .requiredOption('--from <address>', 'sender (the mobile)')
  .requiredOption('--to <address>', 'destination (a number an account owns)')
  .requiredOption('--text <text>', 'message text (split into parts when long)')
  .option('--system-id <id>', 'deliver to this account instead of the owner of --to')
  .option('--http <url>', "the simulator's admin API", 'http://127.0.0.1:8775')
  .option('--json', "print the API's JSON answer instead of a line of text")
  .option('--api-token <token>', "the admin API's token (default $SMSC_API_TOKEN)")
  .showHelpAfterError('(smsc-sim mo --help lists the options)')
  .action(async (o: MoOptions) => {
    let url: URL;
    try {
      url = new URL('/api/mo', o.http);
    } catch {
      process.stderr.write(`smsc-sim mo: --http: ${JSON.stringify(o.http)} is not a URL\n`);
      process.exit(2);
    }
    const token = o.apiToken ?? process.env.SMSC_API_TOKEN;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: JSON.stringify({ from: o.from, to: o.to, text: o.text, ...(o.systemId ? { systemId: o.systemId } : {}) }),
      });
      const body = (await res.json()) as Record<string, unknown>;
      if (!res.ok) {
        process.stderr.write(`smsc-sim mo: ${body.error ?? res.statusText}\n`);
        process.exit(1);
      }
      process.stdout.write(`${o.json ? JSON.stringify(body) : moLine(body as unknown as MoResult)}\n`);
    } catch (e) {
      process.stderr.write(`smsc-sim mo: cannot reach ${url.origin}: ${(e as Error).message}\n`);
      process.exit(1);
    }
  });

interface MoOptions {
  from: string;
  to: string;
  text: string;
  systemId?: string;
  http: string;
  json?: boolean;
  apiToken?: string;
}

/** `injected 2 parts (data_coding 8) for cli: 3 4` */
function moLine(r: MoResult): string {
  const to = r.deliverTo === ANY ? 'any bound receiver' : r.deliverTo;
  return `injected ${r.parts} part${r.parts === 1 ? '' : 's'} (data_coding ${r.dataCoding}) for ${to}: ${r.ids.join(' ')}`;
}

program.parseAsync().catch((e: Error) => {
  process.stderr.write(`smsc-sim: ${e.message}\n`);
  process.exit(2);
});
