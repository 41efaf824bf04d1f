#!/usr/bin/env node
// Entry point for the README's commands on a machine that has only Node.js and npm:
// installs pnpm and the workspace's dependencies on first use, builds, then runs the task.
//   node scripts/run.mjs start [smsc-sim args…]   start the simulator (persistent SQLite store)
//   node scripts/run.mjs test [vitest args…]      type-check everything, check the dependency rules
//                                                (.dependency-cruiser.cjs), run the whole test suite
//   node scripts/run.mjs deps                    build, then only check the dependency rules
//   node scripts/run.mjs bench FILE              build, then run one benchmark file (prints JSON)
// Each step it takes is said on stderr first (the first install takes a minute or two). SMPPKIT_RUN_DRY=1: say the
// steps and the commands, run none (and take the first-run path: as if nothing were installed yet).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '9.15.9';
const [task = 'test', ...rest] = process.argv.slice(2);
const quiet = task === 'start' || task === 'bench';
const dry = process.env.SMPPKIT_RUN_DRY === '1';

/** What is being done now, on stderr (stdout stays the task's: a benchmark's JSON). */
function step(message) {
  process.stderr.write(`smppkit: ${message}\n`);
}

function run(cmd, args, opts = {}) {
  if (dry) {
    process.stderr.write(`+ ${[cmd, ...args].join(' ')}\n`);
    return 0;
  }
  const r = spawnSync(cmd, args, { cwd: root, stdio: opts.stdio ?? 'inherit', env: process.env, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}
function must(cmd, args, opts) {
  const code = run(cmd, args, opts);
  if (code !== 0) process.exit(code);
}

function pnpm() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim().startsWith('9.')) return ['pnpm', []];
  return ['npx', ['-y', `pnpm@${PNPM_VERSION}`]];
}

function ensureInstalled() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lock = join(root, 'pnpm-lock.yaml');
  const installed = !dry && existsSync(marker);
  const fresh = installed && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs);
  if (fresh) return;
  step(`installing dependencies (${installed ? 'the lockfile changed' : 'first run'}, ~1-2 min)...`);
  const [cmd, pre] = pnpm();
  const args = [...pre, 'install', ...(process.env.CI && existsSync(lock) ? ['--frozen-lockfile'] : [])];
  must(cmd, args, { stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
}

function build() {
  step('building (tsc -b, incremental)...');
  must(process.execPath, [
    join(root, 'node_modules/typescript/bin/tsc'),
    '-b',
    'packages/encoding',
    'packages/smpp-core',
    'packages/smsc-sim',
    'packages/esme-client',
  ]);
  // the web console's index.html, styles and uPlot beside its modules in packages/smsc-sim/dist/console/
  must(process.execPath, [join(root, 'packages/smsc-sim/console/copy-assets.mjs')]);
}

// pnpm links a workspace package's bin only when its target exists, and dist/ is made after the install:
// once built, link them (`npx esme`, `npx smsc-sim`, `npx smpp-text` work in this repository).
function linkBins() {
  const bins = ['esme', 'smsc-sim', 'smpp-text'];
  if (bins.every((b) => existsSync(join(root, 'node_modules', '.bin', b))) && !dry) return;
  step('linking the command-line tools (npx esme, npx smsc-sim)...');
  const [cmd, pre] = pnpm();
  must(cmd, [...pre, 'install', '--offline', '--frozen-lockfile'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** No import circle, packages depend downward only (.dependency-cruiser.cjs): over every package's src, test, bench and the root test/ and bench/. */
function checkDependencies() {
  const dirs = readdirSync(join(root, 'packages'))
    .flatMap((p) => ['src', 'test', 'bench'].map((d) => `packages/${p}/${d}`))
    .filter((d) => existsSync(join(root, d)));
  for (const d of ['test', 'bench']) if (existsSync(join(root, d))) dirs.push(d);
  const cli = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  must(process.execPath, [cli, '--config', '.dependency-cruiser.cjs', '--output-type', 'err', ...dirs]);
}

/** Formatting and lint rules (biome.json): `npm run format` applies the fixes. */
function checkStyle() {
  must(join(root, 'node_modules/.bin/biome'), ['check', '--error-on-warnings', '.']);
}

ensureInstalled();
build();
linkBins();
switch (task) {
  case 'test': {
    must(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.test.json']);
    checkStyle();
    checkDependencies();
    process.exit(run(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...rest]));
  }
  case 'deps':
    checkDependencies();
    process.exit(0);
  case 'start':
    step('starting the simulator...');
    process.exit(run(process.execPath, [join(root, 'packages/smsc-sim/dist/cli.js'), 'start', ...rest]));
  case 'bench':
    process.exit(run(process.execPath, ['--import', 'tsx', ...rest]));
  default:
    console.error(`unknown task '${task}': use start, test, deps or bench`);
    process.exit(2);
}
