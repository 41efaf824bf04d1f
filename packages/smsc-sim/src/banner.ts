// What `smsc-sim start` prints on stderr once it listens: where, with what, and example commands that work where it
// runs. `npx esme` / `npx smsc-sim` only where npx finds that bin (a node_modules/.bin up from the working directory);
// otherwise the path of the CLI itself (node …/cli.js); an ESME client that is not installed is named, with how to
// install it (a package npx would fetch may not be on the registry the user reaches).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimConfig } from './config/types.js';

/** `npx <bin>` resolves a local bin first: in node_modules/.bin of the working directory or one above it. */
function npxFinds(bin: string, cwd: string): boolean {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', '.bin', bin))) return true;
    if (dirname(dir) === dir) return false;
  }
}

const quoted = (path: string) => (/^[\w./:@+-]+$/.test(path) ? path : JSON.stringify(path));

/** How to run the ESME client here: `npx esme`, its cli.js beside this package (the repository), or undefined. */
export function esmeCommand(cwd: string): string | undefined {
  if (npxFinds('esme', cwd)) return 'npx esme';
  const sibling = fileURLToPath(new URL('../../esme-client/dist/cli.js', import.meta.url));
  if (existsSync(sibling)) return `node ${quoted(sibling)}`;
  return undefined;
}

/** How to run this CLI here: `npx smsc-sim`, or the script that is running now. */
export function simCommand(cwd: string, script = process.argv[1]): string {
  if (npxFinds('smsc-sim', cwd) || !script) return 'npx smsc-sim';
  return `node ${quoted(script)}`;
}

export interface Listening {
  port: number;
  tlsPort: number | null;
  httpPort: number | null;
}

export function banner(config: SimConfig, h: Listening, cwd = process.cwd()): string {
  const store = config.store === 'memory' ? 'in memory (nothing kept after exit)' : `SQLite ${config.store.path}`;
  const account = config.accounts[0];
  const creds = account ? `${account.systemId}:${account.password}` : 'test:test';
  const api = h.httpPort !== null ? `http://${config.httpHost}:${h.httpPort}` : null;
  const esme = esmeCommand(cwd);
  const lines = [
    `smsc-sim listening on smpp://${config.host}:${h.port}${h.tlsPort !== null ? ` and smpps://${config.host}:${h.tlsPort} (TLS)` : ''}`,
    `  store:     ${store}`,
    config.accounts.length
      ? `  accounts:  ${config.accounts.map((a) => a.systemId).join(', ')}`
      : '  accounts:  none configured: any system_id/password may bind, from a loopback address only',
    api
      ? `  admin API: ${api}/api${config.apiToken ? ' (token required)' : ''}   console: ${api}/   metrics: ${api}/metrics`
      : '  admin API: off',
    '',
    'Connect an ESME: bind_transceiver (or _transmitter/_receiver) with ' +
      (account ? `system_id '${account.systemId}', password '${account.password}'` : 'any system_id and password'),
    esme === undefined
      ? 'Send one and wait for its receipt (with the ESME client, not installed here: npm install @smppkit/esme-client):'
      : 'Send one and wait for its receipt:',
    `  ${esme ?? 'npx esme'} send --url smpp://${creds}@${config.host}:${h.port} --from 12345 --to 4790000001 --text "hello" --wait-dlr 10`,
    api
      ? `Inject a mobile-originated message:\n  ${simCommand(cwd)} mo --http ${api}${config.apiToken ? ' --api-token <token>' : ''} --from 4790000001 --to 12345 --text "hi back"`
      : '',
    api
      ? `See what arrived:\n  curl -s${config.apiToken ? ' -H "Authorization: Bearer <token>"' : ''} ${api}/api/messages`
      : '',
    '',
  ];
  return `${lines.filter((l, i, a) => l !== '' || a[i - 1] !== '').join('\n')}\n`;
}
