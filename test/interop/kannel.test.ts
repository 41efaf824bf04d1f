// Kannel, the open-source SMS gateway, binds to our simulator as an SMPP transceiver: what it
// sends must arrive whole and decoded, our receipts must match its DLR bookkeeping (Kannel
// turns them into its delivery-report callbacks), and our MO messages must reach its services.
import { createServer, type Server } from 'node:http';
import { type SmscHandle, startSmsc } from '@smppkit/smsc-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, haveKannel, type Kannel, startKannel } from './kannel.js';

interface Hit {
  path: string;
  query: URLSearchParams;
}

function callbackServer(port: number): {
  server: Server;
  hits: Hit[];
  waitFor: (path: string, pred?: (q: URLSearchParams) => boolean, timeoutMs?: number) => Promise<URLSearchParams>;
} {
  const hits: Hit[] = [];
  let waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.push({ path: url.pathname, query: url.searchParams });
    waiters.forEach((w) => w());
    res.end('ok');
  }).listen(port, '127.0.0.1');
  const waitFor = (path: string, pred: (q: URLSearchParams) => boolean = () => true, timeoutMs = 20_000) =>
    new Promise<URLSearchParams>((resolve, reject) => {
      const check = () => {
        const h = hits.find((x) => x.path === path && pred(x.query));
        if (h) {
          waiters = waiters.filter((w) => w !== check);
          clearTimeout(t);
          resolve(h.query);
        }
      };
      const t = setTimeout(
        () =>
          reject(
            new Error(
              `no ${path} callback within ${timeoutMs} ms; got ${JSON.stringify(hits.map((h) => h.path + '?' + h.query))}`,
            ),
          ),
        timeoutMs,
      );
      waiters.push(check);
      check();
    });
  return { server, hits, waitFor };
}

async function until(what: string, pred: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!process.env.CI && !haveKannel())('interop with Kannel (bearerbox + smsbox)', () => {
  let smsc: SmscHandle | undefined;
  let kannel: Kannel | undefined;
  let http: Server | undefined;
  afterEach(async () => {
    await kannel?.stop();
    await smsc?.close();
    await new Promise((r) => (http ? http.close(r) : r(undefined)));
  });

  it('Kannel submits (GSM, UCS-2, concatenated), gets DELIVRD reports through our receipts, and receives MO', async () => {
    smsc = await startSmsc({
      port: 0,
      store: 'memory',
      accounts: [{ systemId: 'kannel', password: 'secret', bindTypes: ['transceiver'], numbers: ['4799*'] }],
      defaultDelayMs: 100,
    });
    const cbPort = await freePort();
    const cb = callbackServer(cbPort);
    http = cb.server;
    kannel = await startKannel({
      smscPort: smsc.port,
      systemId: 'kannel',
      password: 'secret',
      moUrl: `http://127.0.0.1:${cbPort}/mo?from=%p&to=%P&text=%a`,
    });
    try {
      await until('Kannel to bind', () =>
        smsc!.sessions().some((s) => s.systemId === 'kannel' && s.state === 'BOUND_TRX'),
      );

      const send = async (params: Record<string, string>) => {
        const res = await fetch(kannel!.sendsmsUrl(params));
        expect(res.status, await res.text()).toBe(202);
      };
      const dlrUrl = (tag: string) => `http://127.0.0.1:${cbPort}/dlr?tag=${tag}&type=%d&reply=%A`;

      await send({
        from: 'ACME',
        to: '4790000001',
        text: 'Hello from Kannel {€}',
        'dlr-mask': '3',
        'dlr-url': dlrUrl('gsm'),
      });
      const gsm = await smsc.waitForMessage({ to: '4790000001' }, 20_000);
      expect(gsm.text).toBe('Hello from Kannel {€}');
      expect(gsm.from).toBe('ACME');
      expect(gsm.systemId).toBe('kannel');
      const dlr = await cb.waitFor('/dlr', (q) => q.get('tag') === 'gsm' && q.get('type') === '1');
      expect(dlr.get('reply')).toMatch(/stat:DELIVRD/);

      await send({
        from: 'ACME',
        to: '4790000002',
        text: 'Привет, мир 👋',
        coding: '2',
        charset: 'UTF-8',
        'dlr-mask': '3',
        'dlr-url': dlrUrl('ucs2'),
      });
      const ucs2 = await smsc.waitForMessage({ to: '4790000002' }, 20_000);
      expect(ucs2.text).toBe('Привет, мир 👋');
      expect(ucs2.dataCoding).toBe(8);
      await cb.waitFor('/dlr', (q) => q.get('tag') === 'ucs2' && q.get('type') === '1');

      const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
      expect(long.length).toBeGreaterThan(160);
      await send({ from: 'ACME', to: '4790000003', text: long, 'dlr-mask': '3', 'dlr-url': dlrUrl('long') });
      await until('the long message to be complete', () =>
        smsc!.messages({ to: '4790000003' }).some((m) => m.complete),
      );
      const whole = smsc.messages({ to: '4790000003' })[0]!;
      expect(whole.partTotal).toBe(2);
      expect(whole.text).toBe(long);

      const mo = smsc.injectMo({ from: '4790000009', to: '47990001', text: 'STOP marketing', systemId: 'kannel' });
      expect(mo.parts).toBe(1);
      const got = await cb.waitFor('/mo');
      // the simulator sends numeric addresses as TON 1 (international); Kannel shows those as '+…'
      expect(got.get('from')).toBe('+4790000009');
      expect(got.get('to')).toBe('+47990001');
      expect(got.get('text')).toBe('STOP marketing');
    } catch (err) {
      throw new Error(
        `${(err as Error).message}\n${kannel
          .logs()
          .split('\n')
          .filter((l) => /ERROR|WARNING|PANIC/.test(l))
          .slice(-40)
          .join('\n')}`,
      );
    }
  });
});
