#!/usr/bin/env node
// The README's screenshots of the web console: starts the built simulator (in memory, a scenario that fails some
// messages), binds two ESMEs (npm `smpp`), sends traffic for ~40 s and an MO or two, then photographs each view in
// headless Chromium at 1280x800 into docs/console/*.png.
//   npm run build && node scripts/console-screenshots.mjs [OUTDIR]
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = resolve(process.argv[2] ?? join(root, 'docs/console'));
const dist = join(root, 'packages/smsc-sim/dist');
if (!existsSync(join(dist, 'index.js')) || !existsSync(join(dist, 'console/index.html'))) {
  console.error('console-screenshots: build first (npm run build)');
  process.exit(1);
}
const { startSmsc } = await import(pathToFileURL(join(dist, 'index.js')).href);
const { chromium } = createRequire(join(root, 'packages/smsc-sim/package.json'))('playwright-core');
const smpp = createRequire(join(root, 'package.json'))('smpp');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const smsc = await startSmsc({
  port: 0,
  httpPort: 0,
  store: 'memory',
  logLevel: 'silent',
  defaultDelayMs: { uniform: [200, 1500] },
  seed: 14,
  accounts: [
    { systemId: 'acme', password: 'pw', numbers: ['4470*'] },
    { systemId: 'shop', password: 'pw', numbers: ['4477*'] },
  ],
  rules: [
    {
      name: 'unreachable 4479',
      match: { destination: '4479' },
      probability: 0.4,
      outcome: { state: 'UNDELIVERABLE' },
    },
    { name: 'expire 4475', match: { destination: '4475' }, probability: 0.2, outcome: { state: 'EXPIRED' } },
  ],
});
const base = `http://127.0.0.1:${smsc.httpPort}`;

function esme(systemId) {
  return new Promise((res) => {
    const s = smpp.connect({ url: `smpp://127.0.0.1:${smsc.port}`, auto_enquire_link_period: 0 });
    s.on('pdu', (p) => p.command === 'deliver_sm' && s.send(p.response()));
    s.on('error', () => {});
    s.on('connect', () => s.bind_transceiver({ system_id: systemId, password: 'pw' }, () => res(s)));
  });
}
const acme = await esme('acme');
const shop = await esme('shop');
const submit = (s, to, text) =>
  new Promise((r) =>
    s.submit_sm({ source_addr: 'ACME', destination_addr: to, short_message: text, registered_delivery: 1 }, r),
  );

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
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
const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
await page.goto(`${base}/#throughput`);
await page.locator('#live[data-state="live"]').waitFor();

// ~40 s of traffic, its rate rising and falling
const prefixes = ['44700', '44751', '44790', '44712'];
for (let sec = 0; sec < 40; sec++) {
  const n = Math.round(6 + 5 * Math.sin(sec / 6) + (sec % 7));
  const sends = [];
  for (let i = 0; i < n; i++) {
    const to = `${prefixes[(sec + i) % prefixes.length]}${String(sec * 100 + i).padStart(7, '0')}`;
    sends.push(submit(i % 3 ? acme : shop, to, `order ${sec}-${i} is on its way`));
  }
  if (sec % 9 === 0)
    await fetch(`${base}/api/mo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '447700900123', to: '447012345678', text: `STOP ${sec}` }),
    });
  await Promise.all(sends);
  await sleep(1000);
}
await sleep(2000);

mkdirSync(out, { recursive: true });
async function shot(name) {
  const file = join(out, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`${relative(root, file)} ${Math.round(statSync(file).size / 1024)} KiB`);
}
await shot('throughput');
await page.goto(`${base}/#sessions`);
await page.locator('#sessions-body tr').nth(1).waitFor();
await shot('sessions');
await page.goto(`${base}/#delivery`);
await page.locator('#dl-body tr').first().waitFor();
await page.getByLabel('By').selectOption('prefix');
await page.locator('#dl-body tr[data-key="4479"]').waitFor();
await shot('delivery');
await page.goto(`${base}/#messages`);
await page.getByLabel('Text contains').fill('order 12-');
await page.getByRole('button', { name: 'Search' }).click();
await page.locator('#msg-caption', { hasText: 'of' }).waitFor();
await shot('messages');
await page.locator('#msg-body button').first().click();
await page.locator('#detail-body pre.hex').first().waitFor();
await page.locator('#msg-detail').scrollIntoViewIfNeeded();
await page.evaluate(`document.getElementById('msg-detail').scrollIntoView()`);
await shot('message-detail');
await page.goto(`${base}/#actions`);
const mo = page.locator('#mo-form');
await mo.getByLabel('From').fill('447700900123');
await mo.getByLabel('To', { exact: true }).fill('447012345678');
await mo.getByLabel('Text').fill('Your parcel arrives tomorrow between 9:00 and 12:00 — reply STOP to opt out');
await page.locator('#mo-preview[data-parts]').waitFor();
await page
  .getByLabel('Rules (JSON array, first match wins)')
  .fill('[{"name": "busy", "match": {"destination": "4471"}, "response": {"status": "ESME_RTHROTTLD"}}]');
await page.getByRole('button', { name: 'Save rules' }).click();
await page.locator('#rules-json-error').waitFor();
await shot('actions');

await browser.close();
acme.destroy();
shop.destroy();
await smsc.close();
