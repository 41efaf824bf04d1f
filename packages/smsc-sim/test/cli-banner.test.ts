// The start banner's example commands work where the simulator runs: from a directory without node_modules (no
// `npx esme` there) the printed commands are run as printed. And `npm start` (scripts/run.mjs) says each step.
import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliBuilt, type SpawnedSim, spawnSim } from './spawn-sim.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'smsc-banner-'));
let sim: SpawnedSim | undefined;
afterAll(async () => {
  sim?.child.kill('SIGTERM');
  await sim?.exited;
  rmSync(dir, { recursive: true, force: true });
});

/** the command printed on the line after `heading` */
function example(banner: string, heading: string): string {
  const lines = banner.split('\n');
  const i = lines.findIndex((l) => l.startsWith(heading));
  expect(i, `${heading} in ${banner}`).toBeGreaterThanOrEqual(0);
  return lines[i + 1]!.trim();
}

describe.skipIf(!cliBuilt())('start banner', () => {
  it('prints example commands that run as printed where it runs', async () => {
    sim = await spawnSim(['--memory', '--port', '0', '--http-port', '0', '--log-level', 'silent'], dir);
    const banner = sim.stderr();
    const send = example(banner, 'Send one and wait for its receipt:');
    // no node_modules/.bin/esme up from a temporary directory: npx would look for an npm package 'esme'
    expect(send).not.toMatch(/^npx esme /);
    const out = execSync(send, { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    expect(out).toMatch(/DELIVRD|DELIVERED/);
    const mo = example(banner, 'Inject a mobile-originated message:');
    expect(mo).not.toMatch(/^npx smsc-sim /);
    expect(execSync(mo, { cwd: dir, encoding: 'utf8', timeout: 20_000 })).toMatch(/^injected 1 part/);
  });
});

describe('npm start (scripts/run.mjs)', () => {
  it('says what it is doing at each step of a first run', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/run.mjs'), 'start', '--port', '0'], {
      env: { ...process.env, SMPPKIT_RUN_DRY: '1' },
      encoding: 'utf8',
      timeout: 20_000, // a run that is not dry would start the simulator and not return
    });
    expect(r.status).toBe(0);
    const steps = r.stderr.split('\n').filter((l) => l.startsWith('smppkit: '));
    expect(steps).toEqual([
      'smppkit: installing dependencies (first run, ~1-2 min)...',
      'smppkit: building (tsc -b, incremental)...',
      'smppkit: linking the command-line tools (npx esme, npx smsc-sim)...',
      'smppkit: starting the simulator...',
    ]);
    expect(r.stderr).toMatch(/\+ \S+ \S+packages\/smsc-sim\/dist\/cli\.js start --port 0/);
  });
});
