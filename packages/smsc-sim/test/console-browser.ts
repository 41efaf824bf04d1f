// The web console's browser tests' helpers: the console built into dist/console (what the admin API serves), and
// Debian's chromium, headless, driven by playwright-core. Outside CI the tests are skipped when /usr/bin/chromium
// is missing; in CI (.ci/run installs it) they fail.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
export const skipBrowser = !haveChromium && !process.env.CI;
if (skipBrowser)
  console.warn(
    `console browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium; in CI it is required)`,
  );

const pkg = fileURLToPath(new URL('..', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Builds the console (its own tsconfig; incremental) and copies its static files, as the package build does. */
export function buildConsole(): void {
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-b', `${pkg}console`], {
    stdio: 'inherit',
  });
  execFileSync(process.execPath, [`${pkg}console/copy-assets.mjs`], { stdio: 'inherit' });
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface Watched {
  page: Page;
  /** page errors, console errors, 5xx answers, and any request that leaves the simulator's address */
  problems: string[];
  /** the 4xx answers the page met ("400 PUT /api/rules"): the console's way to learn of bad input and tokens */
  refused: string[];
}

/** A page at 1366x768 whose errors, refused requests and off-site requests are collected. */
export async function watchedPage(browser: Browser, base: string): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  const refused: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // the browser logs every 4xx it meets: they are collected (and asserted) as `refused`
    if (m.type() === 'error' && !/^Failed to load resource: .* status of 4\d\d/.test(m.text()))
      problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(base)) problems.push(`request off the simulator: ${r.url()}`);
  });
  page.on('response', (r) => {
    const s = r.status();
    const what = `${s} ${r.request().method()} ${r.url().slice(base.length).split('?')[0]}`;
    if (s >= 500) problems.push(what);
    else if (s >= 400) refused.push(what);
  });
  return { page, problems, refused };
}
