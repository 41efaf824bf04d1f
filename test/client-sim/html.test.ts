// The HTML report opened in a real browser (Debian's chromium, headless, driven by playwright-core): the charts
// are drawn from the data (canvases with pixels, three uPlot instances), no page errors, no network requests.
// Outside CI the test is skipped when /usr/bin/chromium is missing; in CI (.ci/run installs it) it fails.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type SmscHandle, startSmsc } from '@smppkit/smsc-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, esme, root } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !process.env.CI) {
  console.warn(`html report test skipped: ${CHROMIUM} is missing (apt-get install -y chromium; in CI it is required)`);
}

// playwright-core is a devDependency of esme-client: resolve it from there (the few calls used, typed here; the
// page code is given as strings: this project's type-check has no DOM library)
interface Page {
  on(event: 'pageerror', fn: (e: Error) => void): void;
  on(event: 'console', fn: (m: { type(): string; text(): string }) => void): void;
  on(event: 'request', fn: (r: { url(): string }) => void): void;
  goto(url: string): Promise<unknown>;
  waitForFunction(expr: string, arg?: unknown, opts?: { timeout: number }): Promise<unknown>;
  evaluate<T>(expr: string): Promise<T>;
}
interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
const { chromium } = createRequire(join(root, 'packages/esme-client/package.json'))('playwright-core') as {
  chromium: { launch(o: { executablePath: string; args: string[] }): Promise<Browser> };
};

let smsc: SmscHandle | undefined;
let dir: string;
beforeAll(() => ensureBuilt(), 120_000);
afterAll(async () => {
  await smsc?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openAndCheck(file: string) {
  const browser = await chromium.launch({
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
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('request', (r) => !r.url().startsWith('file:') && requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction('window.__charts && window.__charts.length === 3', undefined, { timeout: 10_000 });
    // pixels with any ink on each canvas uPlot drew
    const drawn = await page.evaluate<number[]>(`[...document.querySelectorAll('canvas')].map((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let inked = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) inked++;
      return inked;
    })`);
    const tables = await page.evaluate<string[]>(`[...document.querySelectorAll('h2')].map((h) => h.textContent)`);
    return { errors, requests, drawn, tables };
  } finally {
    await browser.close();
  }
}

describe('HTML report in headless Chromium', () => {
  it.skipIf(!haveChromium && !process.env.CI)(
    'esme load --html and report merge --html: charts drawn, no page errors, nothing fetched',
    async () => {
      expect(haveChromium, `${CHROMIUM} is required in CI (.ci/run installs it)`).toBe(true);
      dir = mkdtempSync(join(tmpdir(), 'esme-html-'));
      smsc = await startSmsc({
        store: 'memory',
        accounts: [
          { systemId: 'acme', password: 'pw', window: 3 },
          { systemId: 'beta', password: 'pw' },
        ],
        defaultDelayMs: 20,
      });
      const url = `smpp://acme:pw@127.0.0.1:${smsc.port}`;
      const a = join(dir, 'a.json');
      const b = join(dir, 'b.json');
      const [ra, rb] = await Promise.all([
        esme([
          'load',
          '--url',
          url,
          '--rate',
          '300',
          '--duration',
          '2',
          '--window',
          '10',
          '--dlr',
          '--report',
          a,
          '--html',
          join(dir, 'a.html'),
          '--interval',
          '0.25',
          '--quiet',
        ]).done,
        esme([
          'load',
          '--url',
          url.replace('acme', 'beta'),
          '--unlimited',
          '--window',
          '5',
          '--duration',
          '2',
          '--report',
          b,
          '--quiet',
        ]).done,
      ]);
      expect(ra.code, ra.stderr).toBe(0);
      expect(rb.code, rb.stderr).toBe(0);
      const m = await esme(['report', 'merge', a, b, '--html', join(dir, 'merged.html')]).done;
      expect(m.code, m.stderr).toBe(0);
      for (const f of ['a.html', 'merged.html']) {
        const html = readFileSync(join(dir, f), 'utf8');
        expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/); // self-contained
        const r = await openAndCheck(join(dir, f));
        expect(r.errors).toEqual([]);
        expect(r.requests).toEqual([]);
        expect(r.drawn.length).toBeGreaterThanOrEqual(3);
        for (const inked of r.drawn) expect(inked).toBeGreaterThan(200);
        expect(r.tables).toEqual(
          expect.arrayContaining(['Statuses the server answered', 'Throughput over time (per second)']),
        );
        if (f === 'a.html') expect(r.tables).toContain('Receipts by stat');
      }
    },
    60_000,
  );
});
