#!/usr/bin/env node
// The web console's static files into dist/console/, beside the modules `tsc -b` writes there from console/*.ts:
// index.html, styles.css, and uPlot's script and stylesheet (vendor/, from node_modules: no CDN, works offline).
// Also drops modules whose source is gone (tsc -b never removes them). Run after tsc -b; prints nothing.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'console');
mkdirSync(join(out, 'vendor'), { recursive: true });

for (const f of ['index.html', 'styles.css']) copyFileSync(join(here, f), join(out, f));

const uplot = dirname(createRequire(join(here, '..', 'package.json')).resolve('uplot'));
for (const f of ['uPlot.iife.min.js', 'uPlot.min.css']) copyFileSync(join(uplot, f), join(out, 'vendor', f));

for (const f of readdirSync(out)) {
  const m = /^(.*)\.(js|d\.ts)(\.map)?$/.exec(f);
  if (m && !existsSync(join(here, `${m[1]}.ts`))) rmSync(join(out, f));
}
