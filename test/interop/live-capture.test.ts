// A real session captured off the loopback interface and dissected live by Wireshark (tshark):
// our client and our simulator exchange binds, submits (GSM, UCS-2, concatenated), receipts,
// MO and unbind, and tshark must find every PDU well-formed and the exchange complete.
import { type ChildProcess, spawn } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { createInterface } from 'node:readline';
import { type Client, connect } from '@smppkit/esme-client';
import { type SmscHandle, startSmsc } from '@smppkit/smsc-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { haveTshark } from './tshark.js';

const canCapture = process.getuid?.() === 0;

interface LiveCapture {
  lines: string[];
  stop(): Promise<void>;
}

/** Starts tshark on lo and resolves once it has seen a probe connection (so the capture is really running). */
async function startCapture(port: number): Promise<LiveCapture> {
  const p: ChildProcess = spawn(
    'tshark',
    [
      '-i',
      'lo',
      '-f',
      `tcp port ${port}`,
      '-l',
      '-d',
      `tcp.port==${port},smpp`,
      '-Y',
      'smpp || _ws.malformed || tcp.flags.syn == 1',
      '-T',
      'fields',
      '-e',
      'tcp.flags.syn',
      '-e',
      'smpp.command_id',
      '-e',
      '_ws.malformed',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  let stderr = '';
  p.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: p.stdout! }).on('line', (l) => lines.push(l));
  const exited = new Promise<void>((r) => p.once('exit', () => r()));
  const end = Date.now() + 20_000;
  while (!lines.some((l) => l.startsWith('1\t') || l.startsWith('True\t'))) {
    if (Date.now() > end || p.exitCode !== null) throw new Error(`tshark is not capturing: ${stderr}`);
    await new Promise<void>((resolve) => {
      const s = tcpConnect(port, '127.0.0.1', () => s.destroy());
      s.once('close', () => resolve());
      s.once('error', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    lines,
    async stop() {
      await new Promise((r) => setTimeout(r, 500)); // let the last packets through the pipe
      p.kill('SIGINT');
      await exited;
    },
  };
}

describe.skipIf(!(process.env.CI ? canCapture : canCapture && haveTshark()))(
  'a live session as Wireshark sees it',
  () => {
    let smsc: SmscHandle | undefined;
    let client: Client | undefined;
    let capture: LiveCapture | undefined;
    afterEach(async () => {
      await capture?.stop();
      await client?.close().catch(() => undefined);
      await smsc?.close();
    });

    it('every PDU of a client ↔ simulator session is well-formed to tshark', async () => {
      smsc = await startSmsc({ port: 0, store: 'memory', defaultDelayMs: 20 });
      capture = await startCapture(smsc.port);

      client = await connect(`smpp://acme:secret@127.0.0.1:${smsc.port}`, { enquireLinkIntervalMs: 0 });
      const texts = ['Hello', 'Grüße {€}', 'Привет 👋', 'x'.repeat(400), '日本語のメッセージ'.repeat(10)];
      const results = await Promise.all(
        texts.map((text, i) => client!.submit({ from: 'ACME', to: `479000000${i}`, text, dlr: true })),
      );
      const parts = results.reduce((n, r) => n + r.parts, 0);
      expect(parts).toBe(1 + 1 + 1 + 3 + 2);
      await Promise.all(results.map((r) => client!.waitForReceipt(r.messageIds[0]!, 20_000)));
      const mo = new Promise((resolve) => client!.once('message', resolve));
      smsc.injectMo({ from: '4790000009', to: 'ACME', text: 'reply ' + 'y'.repeat(200) });
      await mo;
      await client.close();
      client = undefined;
      await capture.stop();
      const lines = capture.lines;
      capture = undefined;

      const ids: string[] = [];
      for (const line of lines) {
        const [, cmds = '', malformed = ''] = line.split('\t');
        expect(malformed, line).toBe('');
        ids.push(...cmds.split(',').filter(Boolean));
      }
      const count = (id: string) => ids.filter((x) => x === id).length;
      const seen = ids.join(' ');
      expect(count('0x00000009'), seen).toBe(1); // bind_transceiver
      expect(count('0x80000009'), seen).toBe(1);
      expect(count('0x00000004'), seen).toBe(parts); // submit_sm, one per part
      expect(count('0x80000004'), seen).toBe(parts);
      const moParts = 2;
      expect(count('0x00000005'), seen).toBe(parts + moParts); // a receipt per part, plus the MO parts
      expect(count('0x80000005'), seen).toBe(parts + moParts);
      expect(count('0x00000006'), seen).toBe(1); // unbind
      expect(count('0x80000006'), seen).toBe(1);
    });
  },
);
