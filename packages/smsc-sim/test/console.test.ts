// The web console at / in real headless Chromium against a running simulator, an ESME from the npm smpp package
// bound to it: a session appears live and can be dropped; 100 submits move the throughput chart and the delivery
// rate; a message's detail; an MO injected through the form reaches the ESME; a rule edit shows the API's error at
// its field. No page error, no request leaves the simulator (no CDN). The token prompt: console-token.test.ts.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { buildConsole, launch, skipBrowser, type Watched, watchedPage } from './console-browser.js';
import { boundPeer, type Peer } from './smpp-peer.js';

let smsc: SmscHandle;
let base: string;
let browser: Browser;
let w: Watched;
let page: Page;
const peers: Peer[] = [];

beforeAll(async () => {
  buildConsole();
  if (!skipBrowser) browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

// a new simulator for each test: message ids, totals and sessions start from nothing
beforeEach(async () => {
  smsc = await startSmsc({
    port: 0,
    httpPort: 0,
    store: 'memory',
    logLevel: 'silent',
    defaultDelayMs: 20,
    accounts: [
      { systemId: 'web', password: 'pw', numbers: ['4470*'] },
      { systemId: 'other', password: 'pw' },
    ],
  });
  base = `http://127.0.0.1:${smsc.httpPort}`;
});

async function open(hash = '') {
  w = await watchedPage(browser, base);
  page = w.page;
  await page.goto(`${base}/${hash}`);
  await page.locator('#live[data-state="live"]').waitFor();
}

/** the 4xx answers a test expects its page to meet (the API refusing bad input) */
let refusals: string[] = [];
afterEach(async () => {
  const { problems = [], refused = [] } = w ?? {};
  const expected = refusals;
  refusals = [];
  await page?.close();
  for (const p of peers.splice(0)) p.close();
  await smsc.close();
  expect(problems).toEqual([]);
  expect(refused).toEqual(expected);
});

async function bind(systemId = 'web'): Promise<Peer> {
  const p = await boundPeer(smsc.port, 'transceiver', systemId, 'pw');
  peers.push(p);
  return p;
}

const detail = () => page.locator('#msg-detail');
const rules = async () => ((await (await fetch(`${base}/api/rules`)).json()) as { rules: unknown[] }).rules;

const submit = (p: Peer, fields: Record<string, unknown>) =>
  p.call('submit_sm', { source_addr: '12345', registered_delivery: 1, ...fields });

describe.skipIf(skipBrowser)('web console', () => {
  it('shows bound ESMEs in Sessions without a reload; its buttons unbind one and drop the other', async () => {
    await open();
    await expect(page.locator('#sessions-caption').textContent()).resolves.toBe('no session');
    await page.evaluate('window.marker = 1');
    const web = await bind('web');
    const row = page.locator('#sessions-body tr', { hasText: 'web' });
    await row.waitFor();
    const cells = await row.locator('td, th').allTextContents();
    expect(cells[1]).toBe('web');
    expect(cells[2]).toBe('transceiver');
    expect(cells[3]).toMatch(/^127\.0\.0\.1:\d+$/);
    const other = await bind('other');
    const otherRow = page.locator('#sessions-body tr', { hasText: 'other' });
    await otherRow.waitFor();
    await expect(page.locator('#sessions-caption').textContent()).resolves.toBe('2 connections, 2 bound');
    // the same document: the rows came over the event stream, not by a reload
    expect(await page.evaluate('window.marker')).toBe(1);

    await row.getByRole('button', { name: 'Unbind web' }).click();
    const unbind = await web.next('unbind');
    web.session.send(unbind.response());
    await web.closed;
    await row.waitFor({ state: 'detached' });
    await otherRow.getByRole('button', { name: 'Drop other' }).click();
    await other.closed;
    await otherRow.waitFor({ state: 'detached' });
    await expect(page.locator('#sessions-caption').textContent()).resolves.toBe('no session');
  });

  it('is usable from the keyboard: Tab reaches the views, Enter opens one and moves focus to its heading', async () => {
    await open();
    const focused = () =>
      page.evaluate<string>('document.activeElement.textContent + "|" + document.activeElement.tagName');
    await page.keyboard.press('Tab'); // the skip link
    await expect(focused()).resolves.toBe('Skip to content|A');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('Messages|A');
    await page.keyboard.press('Enter');
    await page.locator('#view-messages').waitFor();
    await expect(focused()).resolves.toBe('Messages|H2');
    await expect(page.locator('nav a[aria-current="page"]').textContent()).resolves.toBe('Messages');
    await expect(page.locator('#view-sessions').isHidden()).resolves.toBe(true);
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('|INPUT'); // the first search field, system_id
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('q-systemId');
  });

  it('draws 100 submits and their receipts in Throughput, moves the delivery rate to 100 %, pages them in Messages', async () => {
    await open('#delivery');
    await expect(page.locator('#dl-body tr[data-key="web"]').count()).resolves.toBe(0);
    await page.goto(`${base}/#throughput`);
    const peer = await bind();
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        submit(peer, { destination_addr: `4470${String(i).padStart(6, '0')}`, short_message: `n${i}` }),
      ),
    );
    expect(answers.every((a) => a.command_status === 0)).toBe(true);
    for (let i = 0; i < 100; i++) await peer.next('deliver_sm');
    // the totals over the shown span, and the series the chart draws, count every submit and receipt
    await page.locator('[data-total="submits"]', { hasText: /^100 ·/ }).waitFor();
    await page.locator('[data-total="receipts"]', { hasText: /^100 ·/ }).waitFor();
    const series = await page.evaluate<number[][]>('window.__throughput()');
    const sum = (a: number[]) => a.reduce((x, y) => x + (y ?? 0), 0);
    expect([sum(series[1]), sum(series[2]), sum(series[3])]).toEqual([100, 100, 0]);
    const inked = await page.evaluate<number>(`(() => {
      const c = document.querySelector('#tp-chart canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    })()`);
    expect(inked).toBeGreaterThan(1000);

    await page.getByRole('link', { name: 'Delivery' }).click();
    const row = page.locator('#dl-body tr[data-key="web"]');
    await row.locator('td.rate[data-rate="1"]').waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 4)).toEqual(['100', '100', '100', '100.0 %']);
    await expect(page.locator('[data-latency="receipts"]').textContent()).resolves.toBe('100');
    await page.getByLabel('By').selectOption('prefix');
    await page.locator('#dl-body tr[data-key="4470"] td.rate[data-rate="1"]').waitFor();

    // the same 100 in Messages, 50 a page; a time range after them finds none
    await page.getByRole('link', { name: 'Messages' }).click();
    await page.locator('#msg-page', { hasText: '1–50 of 100' }).waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.locator('#msg-page', { hasText: '51–100 of 100' }).waitFor();
    await expect(page.locator('#msg-body tr').count()).resolves.toBe(50);
    await expect(page.getByRole('button', { name: 'Next page' }).isDisabled()).resolves.toBe(true);
    const local = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    await page.getByLabel('Since').fill(local(Date.now() + 60_000));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#msg-page', { hasText: '0 of 0' }).waitFor();
    await page.getByLabel('Since').fill(local(Date.now() - 3_600_000));
    await page.getByLabel('Until', { exact: true }).fill(local(Date.now() + 60_000));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#msg-page', { hasText: '1–50 of 100' }).waitFor();
  });

  it('finds a message by its text and opens its detail: reassembled text, parts, ids, history, PDUs as fields and hex', async () => {
    const peer = await bind();
    const parts = ['find me by ', 'my text'];
    const ids: string[] = [];
    for (const [i, c] of parts.entries()) {
      const r = await submit(peer, {
        destination_addr: '447000000777',
        short_message: c,
        sar_msg_ref_num: 14,
        sar_total_segments: 2,
        sar_segment_seqnum: i + 1,
      });
      ids.push(r.message_id);
    }
    await smsc.waitForMessage({ to: '447000000777', state: 'DELIVERED' });
    await open('#messages');
    await page.getByLabel('Text contains').fill('by my text');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#msg-caption', { hasText: 'Messages 1–1 of 1' }).waitFor();
    await expect(page.locator('#msg-body tr td:nth-child(8)').textContent()).resolves.toBe('2/2');
    await page.getByRole('button', { name: `Open message ${ids[0]}`, exact: true }).click();
    const detail = page.locator('#msg-detail');
    await detail.locator('pre[data-role="text"]', { hasText: 'find me by my text' }).waitFor();
    await expect(page.locator('#h-detail').textContent()).resolves.toBe(`Message ${ids[0]}`);
    await expect(detail.locator('ul.ids li').allTextContents()).resolves.toEqual(ids);
    const partRows = detail.locator('table', { hasText: 'Parts' }).locator('tbody tr');
    await expect(partRows.locator('td:nth-child(7)').allTextContents()).resolves.toEqual(parts);
    const history = detail.locator('table', { hasText: 'State history' }).locator('tbody tr td:nth-child(3)');
    expect((await history.allTextContents()).sort()).toEqual(['DELIVERED', 'DELIVERED', 'ENROUTE', 'ENROUTE']);
    const pdus = detail.locator('details.pdu');
    await expect(pdus.count()).resolves.toBe(2);
    const pdu = pdus.first();
    await expect(pdu.locator('summary').textContent()).resolves.toMatch(/submit_sm/);
    await expect(pdu.locator('tr', { hasText: 'destination_addr' }).locator('td').textContent()).resolves.toBe(
      '447000000777',
    );
    // the hex dump: offset, bytes, ASCII; command_id 0x00000004 at offset 4
    await expect(pdu.locator('pre.hex').textContent()).resolves.toMatch(/^0000 {2}([0-9a-f]{2} ){4}00 00 00 04 /);
  });

  // A hex message id that is also another message's row number (after 101 submits, message 0x65's "65" and row 65,
  // whose id is "41"): the id the ESME was given wins (it opened row 65 before the fix).
  it("opens the message clicked when its hex id is another message's row number", async () => {
    const peer = await bind();
    let last = '';
    for (let i = 0; i < 101; i++)
      last = (await submit(peer, { destination_addr: '447000000888', short_message: `m${i}` })).message_id;
    await open('#messages');
    await page.getByLabel('Text contains').fill('m100');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#msg-caption', { hasText: 'Messages 1–1 of 1' }).waitFor();
    await page.getByRole('button', { name: `Open message ${last}`, exact: true }).click();
    await detail()
      .locator('pre[data-role="text"]', { hasText: /^m100$/ })
      .waitFor({ timeout: 3000 });
  });

  it('injects an MO through the form (showing encoding and parts as you type) and the ESME receives it', async () => {
    const peer = await bind();
    await open('#actions');
    await page.locator('#mo-form').getByLabel('From').fill('447999000111');
    await page.locator('#mo-form').getByLabel('To', { exact: true }).fill('447012345678');
    const preview = page.locator('#mo-preview');
    await page.locator('#mo-form').getByLabel('Text').fill('x'.repeat(200));
    await preview.locator('xpath=self::*[@data-parts="2"]').waitFor();
    await expect(preview.textContent()).resolves.toMatch(/^GSM.* 2 parts · 200 septets/);
    await page.locator('#mo-form').getByLabel('Text').fill('hello from the console ✓');
    await preview.locator('xpath=self::*[@data-parts="1"]').waitFor();
    await expect(preview.textContent()).resolves.toMatch(/^UCS-?2.* 1 part · 24 UTF-16 units, 70 a part$/);
    await page.getByRole('button', { name: 'Inject MO' }).click();
    const mo = await peer.next('deliver_sm');
    expect(mo.source_addr).toBe('447999000111');
    expect(mo.destination_addr).toBe('447012345678');
    expect(mo.short_message.message).toBe('hello from the console ✓');
    await page.locator('#mo-result', { hasText: 'MO queued for web: 1 part' }).waitFor();
    // a missing field is named at the field before anything is sent
    await page.locator('#mo-form').getByLabel('From').fill('');
    await page.getByRole('button', { name: 'Inject MO' }).click();
    await expect(page.locator('#mo-from-error').textContent()).resolves.toBe('from is required');
    await expect(page.locator('#mo-form').getByLabel('From').getAttribute('aria-invalid')).resolves.toBe('true');
  });

  it("shows the API's validation error of a rule edit and a faults edit at the field, and saves valid ones", async () => {
    refusals = ['400 PUT /api/rules', '400 PUT /api/faults'];
    await open('#actions');
    const area = page.getByLabel('Rules (JSON array, first match wins)');
    await area.fill('[{"name": "ok"}, {"match": {"destination": "4471"}, "outcome": {"state": "DELIVERD"}}]');
    await page.getByRole('button', { name: 'Save rules' }).click();
    const error = page.locator('#rules-json-error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/rules\[1\]\.outcome\.state.*DELIVERD/);
    await expect(area.getAttribute('aria-invalid')).resolves.toBe('true');
    // the value the error names is selected in the text
    const selected = await page.evaluate<string>(
      `(() => { const a = document.getElementById('rules-json'); return a.value.slice(a.selectionStart, a.selectionEnd); })()`,
    );
    expect(selected).toBe('"state": "DELIVERD"');
    expect(await rules()).toEqual([]);

    await area.fill('[{"name": "ok"');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await expect(error.textContent()).resolves.toMatch(/^not valid JSON/);

    await area.fill('[{"name": "expire 4471", "match": {"destination": "4471"}, "outcome": {"state": "EXPIRED"}}]');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.locator('#rules-result', { hasText: 'Saved 1 rule.' }).waitFor();
    await expect(error.isHidden()).resolves.toBe(true);
    expect(await rules()).toMatchObject([{ name: 'expire 4471', outcome: { state: 'EXPIRED' } }]);

    // faults the same way: the error under the textarea, the value selected; then saved for one account
    const faults = page.getByLabel('Faults (JSON object; null removes)');
    await faults.fill('{"errorFraction": 2}');
    await page.getByRole('button', { name: 'Save faults' }).click();
    await page.locator('#faults-json-error', { hasText: 'faults.errorFraction' }).waitFor();
    const selectedFault = await page.evaluate<string>(
      `(() => { const a = document.getElementById('faults-json'); return a.value.slice(a.selectionStart, a.selectionEnd); })()`,
    );
    expect(selectedFault).toBe('"errorFraction": 2');
    await page.locator('#faults-form').getByLabel('system_id').fill('web');
    await faults.fill('{"errorFraction": 0.5, "errorStatus": "ESME_RTHROTTLED"}');
    await page.getByRole('button', { name: 'Save faults' }).click();
    await page.locator('#faults-result', { hasText: 'Saved faults for web.' }).waitFor();
    expect(JSON.parse(await faults.inputValue())).toEqual({ errorFraction: 0.5, errorStatus: 0x58 });
    const stored = (await (await fetch(`${base}/api/faults`)).json()) as { accounts: Record<string, unknown> };
    expect(stored.accounts.web).toEqual({ errorFraction: 0.5, errorStatus: 0x58 });
  });
});
