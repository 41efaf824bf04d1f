// The console's message list on a file larger than the API's look (window-file.ts): a `To` search shows what the
// answer found as a lower bound and the ids it looked at; Next page goes on past them from the answer's cursor,
// Previous page comes back; at the oldest ids Next page is off. Real headless Chromium (console-browser.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { buildConsole, launch, skipBrowser, type Watched, watchedPage } from './console-browser.js';
import { buildWindowFile, EDGE, ROWS, TO } from './window-file.js';

let dir: string;
let smsc: SmscHandle;
let browser: Browser;
let w: Watched;

describe.skipIf(skipBrowser)('the console on a file larger than the look', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smsc-console-window-'));
    buildWindowFile(join(dir, 'smsc.db'));
    smsc = await startSmsc({ port: 0, httpPort: 0, store: { path: join(dir, 'smsc.db') }, logLevel: 'silent' });
    buildConsole();
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await w?.page.close();
    await browser?.close();
    await smsc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a lower bound and the ids looked at, and pages on past them by the cursor', async () => {
    const base = `http://127.0.0.1:${smsc.httpPort}`;
    w = await watchedPage(browser, base);
    const { page } = w;
    await page.goto(`${base}/#messages`);
    await page.locator('#live[data-state="live"]').waitFor();
    const n = (v: number) => v.toLocaleString('en');
    await page.locator('#q-to').fill(TO);
    await page.getByRole('button', { name: 'Search' }).click();
    const caption = page.locator('#msg-caption');
    await caption.filter({ hasText: `Messages 1–3 of 3+ in ids ${n(ROWS)}–${n(EDGE + 1)}` }).waitFor();
    await expect(page.locator('#msg-body tr').count()).resolves.toBe(3);
    const next = page.getByRole('button', { name: 'Next page' });
    const prev = page.getByRole('button', { name: 'Previous page' });
    await expect(prev.isDisabled()).resolves.toBe(true);
    await next.click();
    await caption.filter({ hasText: `Messages 1–1 of 1+ in ids ${n(EDGE)}–${n(EDGE - 200_000 + 1)}` }).waitFor();
    await next.click();
    await caption.filter({ hasText: `Messages 1–1 of 1+ in ids ${n(EDGE - 200_000)}–1` }).waitFor();
    await expect(next.isDisabled()).resolves.toBe(true);
    await prev.click();
    await caption.filter({ hasText: `in ids ${n(EDGE)}–` }).waitFor();
    await prev.click();
    await caption.filter({ hasText: `Messages 1–3 of 3+ in ids ${n(ROWS)}–` }).waitFor();
    await expect(prev.isDisabled()).resolves.toBe(true);
    expect(w.problems).toEqual([]);
    expect(w.refused).toEqual([]);
  }, 60_000);
});
