// The smsc-sim CLI, spawned: start with a config file, mo through the HTTP API (a line of text, or --json),
// usage errors (exit 2, one line naming the option), an address in use named, SIGINT → graceful exit 0.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundPeer, type Peer } from './smpp-peer.js';
import { CLI, cliBuilt, type SpawnedSim, spawnSim } from './spawn-sim.js';

let dir: string;
const sims: SpawnedSim[] = [];
const peers: Peer[] = [];

function run(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 15_000, cwd: dir });
}

beforeAll(() => {
  if (!cliBuilt()) throw new Error(`${CLI} is missing: build first (node_modules/.bin/tsc -b packages/smsc-sim)`);
  dir = mkdtempSync(join(tmpdir(), 'smsc-cli-'));
  writeFileSync(
    join(dir, 'sim.yaml'),
    [
      'accounts:',
      '  - systemId: cli',
      '    password: pw',
      "    numbers: ['4470*']",
      'rules:',
      "  - match: { destination: '4479999' }",
      '    outcome: { state: UNDELIVERABLE, err: 3 }',
    ].join('\n'),
  );
});

afterAll(() => {
  for (const p of peers) p.close();
  for (const s of sims) s.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('smsc-sim CLI', () => {
  it('starts from a config file, injects an MO with `smsc-sim mo`, and stops on SIGINT with exit 0', async () => {
    const sim = await spawnSim(
      ['--config', join(dir, 'sim.yaml'), '--memory', '--port', '0', '--http-port', '0', '--log-level', 'warn'],
      dir,
    );
    sims.push(sim);
    expect(sim.stderr()).toContain('accounts:  cli');
    expect(sim.stderr()).toContain(`--url smpp://cli:pw@127.0.0.1:${sim.port}`);
    const rx = await boundPeer(sim.port, 'receiver', 'cli', 'pw');
    peers.push(rx);
    const mo = await new Promise<ReturnType<typeof run>>((resolve) =>
      setImmediate(() =>
        resolve(
          run([
            'mo',
            '--http',
            `http://127.0.0.1:${sim.httpPort}`,
            '--from',
            '4479123',
            '--to',
            '4470555',
            '--text',
            'via the cli',
            '--json',
          ]),
        ),
      ),
    );
    expect(mo.status).toBe(0);
    expect(JSON.parse(mo.stdout)).toMatchObject({ deliverTo: 'cli', parts: 1 });
    const d = await rx.next('deliver_sm');
    expect(d.short_message.message).toBe('via the cli');
    const plain = run([
      'mo',
      '--http',
      `http://127.0.0.1:${sim.httpPort}`,
      '--from',
      '4479123',
      '--to',
      '4470555',
      '--text',
      'plain',
    ]);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/^injected 1 part \(data_coding 0\) for cli: \d+\n$/);
    expect((await rx.next('deliver_sm')).short_message.message).toBe('plain');
    const nobody = run([
      'mo',
      '--http',
      `http://127.0.0.1:${sim.httpPort}`,
      '--from',
      '1',
      '--to',
      '999',
      '--text',
      'x',
    ]);
    expect(nobody.status).toBe(1);
    expect(nobody.stderr).toMatch(/no account owns "999"/);
    sim.child.kill('SIGINT');
    expect((await sim.exited).code).toBe(0);
  });

  it('exits non-zero naming the bad option or config field', () => {
    const port = run(['start', '--port', '99999']);
    expect(port.status).not.toBe(0);
    expect(port.stderr).toMatch(/--port: "99999"/);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ accounts: [{ systemId: 'x', password: 'p', tps: -1 }] }));
    const cfg = run(['start', '--config', join(dir, 'bad.json'), '--memory']);
    expect(cfg.status).toBe(2);
    expect(cfg.stderr).toMatch(/accounts\[0\]\.tps: -1/);
    const unreachable = run(['mo', '--http', 'http://127.0.0.1:1', '--from', '1', '--to', '2', '--text', 'x']);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(/cannot reach/);
  });

  it('answers a usage error with exit 2 and one line naming the option, not the whole help', () => {
    const port = run(['start', '--port', '99999']);
    expect(port.status).toBe(2);
    expect(port.stderr).toBe(
      'smsc-sim: --port: "99999" is not an integer in 0..65535\n(smsc-sim start --help lists the options)\n',
    );
    const unknown = run(['start', '--prot', '1']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^smsc-sim: unknown option '--prot'\n\(Did you mean --port\?\)\n/);
    const missing = run(['mo', '--from', '1', '--text', 'x']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^smsc-sim: required option '--to <address>' not specified\n/);
    const command = run(['frob']);
    expect(command.status).toBe(2);
    expect(command.stderr).toMatch(/^smsc-sim: unknown command 'frob'\n/);
    for (const r of [port, unknown, missing, command]) expect(r.stderr).not.toContain('Usage:');
    const version = run(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(run(['start', '--help']).status).toBe(0);
  });

  it('names the port (SMPP or admin API) that is already in use', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const busy = (taken.address() as net.AddressInfo).port;
    try {
      const smpp = run(['start', '--memory', '--log-level', 'silent', '--port', String(busy), '--http-port', '0']);
      expect(smpp.status).toBe(1);
      expect(smpp.stderr).toContain(
        `cannot start: the SMPP port 127.0.0.1:${busy} is already in use; choose another with --port`,
      );
      const admin = run(['start', '--memory', '--log-level', 'silent', '--port', '0', '--http-port', String(busy)]);
      expect(admin.status).toBe(1);
      expect(admin.stderr).toContain(
        `cannot start: the admin API port 127.0.0.1:${busy} is already in use; choose another with --http-port`,
      );
    } finally {
      taken.close();
    }
  });
});
