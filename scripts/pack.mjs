#!/usr/bin/env node
// `npm run pack`: builds the packages, then packs each into packs/ with pnpm (which rewrites the
// `workspace:*` ranges to the real versions, so plain npm can install the tarballs).
//   node scripts/pack.mjs [DEST]    DEST defaults to ./packs; prints the tarball paths, one a line
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dest = resolve(process.argv[2] ?? join(root, 'packs'));
const PACKAGES = ['encoding', 'smpp-core', 'smsc-sim', 'esme-client'];

function must(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    process.stderr.write(r.stdout ?? '');
    console.error(`pack: ${cmd} ${args.join(' ')} failed in ${cwd} (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
  return r.stdout;
}

function pnpm() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim().startsWith('9.')) return ['pnpm', []];
  return ['npx', ['-y', 'pnpm@9.15.9']];
}

must(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-b', ...PACKAGES.map((p) => `packages/${p}`)],
  root,
);
// the web console's static files beside its modules (it drops its own stale modules)
must(process.execPath, [join(root, 'packages/smsc-sim/console/copy-assets.mjs')], root);
// tsc -b never removes output whose source is gone (a file moved or deleted): drop it, so no stale module is packed.
const consoleDist = join(root, 'packages/smsc-sim/dist/console');
function dropStale(dist, src) {
  for (const e of readdirSync(dist, { withFileTypes: true })) {
    const path = join(dist, e.name);
    if (e.isDirectory()) {
      if (path === consoleDist) continue; // built from packages/smsc-sim/console/, not src/
      dropStale(path, join(src, e.name));
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
      continue;
    }
    const m = /^(.*)\.(js|d\.ts)(\.map)?$/.exec(e.name);
    if (m && !existsSync(join(src, `${m[1]}.ts`))) {
      rmSync(path);
      console.error(`pack: removed stale ${relative(root, path)}`);
    }
  }
}
for (const p of PACKAGES) dropStale(join(root, 'packages', p, 'dist'), join(root, 'packages', p, 'src'));
rmSync(dest, { recursive: true, force: true });
mkdirSync(dest, { recursive: true });
const [cmd, pre] = pnpm();
for (const p of PACKAGES) must(cmd, [...pre, 'pack', '--pack-destination', dest], join(root, 'packages', p));
for (const f of readdirSync(dest).sort()) console.log(join(dest, f));
