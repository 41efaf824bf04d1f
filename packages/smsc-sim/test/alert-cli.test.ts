// `smsc-sim alert <address>`, spawned against a spawned simulator: the ESME that asked (set_dpf) gets its
// alert_notification; the line printed (or --json); usage errors exit 2, an unreachable simulator exits 1.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindPdu, submitSmPdu } from './pdus.js';
import { type RawClient, rawClient } from './raw-client.js';
import { CLI, cliBuilt, type SpawnedSim, spawnSim } from './spawn-sim.js';

let dir: string;
let sim: SpawnedSim;
let esme: RawClient;

function run(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 15_000, cwd: dir });
}

beforeAll(async () => {
  if (!cliBuilt()) throw new Error(`${CLI} is missing: build first (node_modules/.bin/tsc -b packages/smsc-sim)`);
  dir = mkdtempSync(join(tmpdir(), 'smsc-alert-cli-'));
  const rules = [{ match: { destination: '4479111' }, outcome: { state: 'UNDELIVERABLE', err: 27, delayMs: 0 } }];
  writeFileSync(join(dir, 'sim.json'), JSON.stringify({ rules, logLevel: 'silent' }));
  sim = await spawnSim([
    '--config',
    join(dir, 'sim.json'),
    '--port',
    '0',
    '--http-port',
    '0',
    '--db',
    join(dir, 'x.db'),
  ]);
  esme = await rawClient(sim.port);
  esme.socket.write(bindPdu(1, 'cli', 'pw', 'bind_transceiver'));
  expect((await esme.next()).command_status).toBe(0);
  esme.socket.write(submitSmPdu(2, { destination_addr: '4479111000', tlvs: { set_dpf: 1 } }));
  expect((await esme.next()).command_status).toBe(0);
  // until the delivery has failed
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`http://127.0.0.1:${sim.httpPort}/api/messages?to=4479111000&state=UNDELIVERABLE`);
    if (((await r.json()) as { total: number }).total === 1) break;
    await new Promise((r) => setTimeout(r, 20));
  }
}, 30_000);
afterAll(async () => {
  esme?.socket.destroy();
  sim?.child.kill('SIGTERM');
  await sim?.exited;
  rmSync(dir, { recursive: true, force: true });
});

describe('smsc-sim alert', () => {
  it('sends the alert_notification owed and says so; a second time there is none', async () => {
    const http = `http://127.0.0.1:${sim.httpPort}`;
    const first = run(['alert', '4479111000', '--http', http]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(
      '4479111000 available: 1 alert_notification sent, 0 owed to accounts with no receiver bound\n',
    );
    expect(await esme.next()).toMatchObject({
      command: 'alert_notification',
      source_addr: '4479111000',
      esme_addr: '12345',
      tlvs: { ms_availability_status: 0 },
    });
    const second = run(['alert', '4479111000', '--http', http, '--json']);
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ address: '4479111000', sent: 0, pending: 0 });
  });

  it('usage errors exit 2 naming what is wrong; an unreachable simulator exits 1', () => {
    const missing = run(['alert']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/missing required argument 'address'/);
    const badUrl = run(['alert', '1', '--http', 'nope']);
    expect(badUrl.status).toBe(2);
    expect(badUrl.stderr).toBe('smsc-sim alert: --http: "nope" is not a URL\n');
    const unreachable = run(['alert', '1', '--http', 'http://127.0.0.1:1']);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(/^smsc-sim alert: cannot reach http:\/\/127\.0\.0\.1:1: /);
  });
});
