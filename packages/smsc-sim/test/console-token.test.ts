// The web console with an API token set, in real headless Chromium: the first 401 brings up the token prompt; a
// wrong token is refused and asked again; the right one shows the data and opens the event stream (?token=); the
// token is kept for the tab (sessionStorage): a reload asks nothing.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { buildConsole, launch, skipBrowser, watchedPage } from './console-browser.js';
import { boundPeer, type Peer } from './smpp-peer.js';

const TOKEN = 'console-test-token-3f9a';
let smsc: SmscHandle;
let base: string;
let browser: Browser;
let peer: Peer;

beforeAll(async () => {
  buildConsole();
  smsc = await startSmsc({
    port: 0,
    httpPort: 0,
    apiToken: TOKEN,
    store: 'memory',
    logLevel: 'silent',
    accounts: [{ systemId: 'locked', password: 'pw' }],
  });
  base = `http://127.0.0.1:${smsc.httpPort}`;
  peer = await boundPeer(smsc.port, 'transceiver', 'locked', 'pw');
  if (!skipBrowser) browser = await launch();
}, 120_000);

afterAll(async () => {
  peer?.close();
  await browser?.close();
  await smsc?.close();
});

describe.skipIf(skipBrowser)('web console with an API token', () => {
  it('asks for the token on a 401, refuses a wrong one, works with the right one, keeps it for the tab', async () => {
    expect((await fetch(`${base}/api/sessions`)).status).toBe(401);
    const { page, problems, refused } = await watchedPage(browser, base);
    await page.goto(`${base}/`);
    const dialog = page.getByRole('dialog', { name: 'API token required' });
    await dialog.waitFor();
    await expect(page.locator('#sessions-body tr').count()).resolves.toBe(0);

    await dialog.getByLabel('API token').fill('not-the-token');
    await dialog.getByRole('button', { name: 'Use token' }).click();
    await page.locator('#token-why', { hasText: 'refused' }).waitFor();
    await expect(dialog.isVisible()).resolves.toBe(true);

    await dialog.getByLabel('API token').fill(TOKEN);
    await dialog.getByRole('button', { name: 'Use token' }).click();
    await page.locator('#sessions-body tr', { hasText: 'locked' }).waitFor();
    await page.locator('#live[data-state="live"]').waitFor();
    await expect(dialog.isVisible()).resolves.toBe(false);
    await expect(page.evaluate('sessionStorage.getItem("smsc-sim.api-token")')).resolves.toBe(TOKEN);

    await page.reload();
    await page.locator('#sessions-body tr', { hasText: 'locked' }).waitFor();
    await page.locator('#live[data-state="live"]').waitFor();
    await expect(dialog.isVisible()).resolves.toBe(false);
    await page.close();
    expect(problems).toEqual([]);
    // the first call without a token and the one with the wrong token; nothing else was refused
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused.filter((r) => !r.startsWith('401 GET /api/'))).toEqual([]);
  });
});
