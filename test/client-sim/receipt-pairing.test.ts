// `esme load --dlr` (spawned as a user runs it) against the simulator (embedded, in-memory store): every receipt
// paired with its own submit (issue 10: 3, 0, 0, 5, 4 of 20,000 went missing, each paired with the wrong submit
// while the client was still learning the id form). The report's missing, unmatched and mis-paired are all 0.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type SmscHandle, startSmsc } from '@smppkit/smsc-sim';
import { afterEach, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../packages/esme-client/dist/cli.js', import.meta.url));
let smsc: SmscHandle | undefined;
afterEach(async () => {
  await smsc?.close();
  smsc = undefined;
});

function esme(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const dialects = [
  { name: "the simulator's default (hex ids, as given)", receipt: undefined, form: 'same' },
  {
    name: 'decimal ids (valid hex too)',
    receipt: { idFormat: 'decimal' as const, dateDigits: 10 as const, content: 'text' as const, lowerCaseKeys: false },
    form: 'same',
  },
  {
    name: 'hex ids, decimal in receipts',
    receipt: {
      idFormat: 'hex' as const,
      receiptIdFormat: 'decimal' as const,
      dateDigits: 10 as const,
      content: 'text' as const,
      lowerCaseKeys: false,
    },
    form: 'hexToDecimal',
  },
];

describe('esme load --dlr against the simulator: 20,000 receipts, each paired with its own submit', () => {
  for (const d of dialects) {
    it(d.name, async () => {
      smsc = await startSmsc({
        store: 'memory',
        accounts: [{ systemId: 'load', password: 'pw', maxBinds: 10, ...(d.receipt ? { receipt: d.receipt } : {}) }],
      });
      const r = await esme([
        'load',
        '--url',
        `smpp://load:pw@127.0.0.1:${smsc.port}`,
        '--count',
        '20000',
        '--window',
        '100',
        '--unlimited',
        '--dlr',
        '--json',
        '--quiet',
      ]);
      expect(r.stderr).toBe('');
      const report = JSON.parse(r.stdout);
      expect(report).toMatchObject({ sent: 20000, acknowledged: 20000, failed: 0 });
      expect(report.receipts).toMatchObject({ received: 20000, missing: 0, unmatched: 0, mispaired: 0 });
      expect(r.code).toBe(0);
      expect(smsc.messages({ systemId: 'load', limit: 30_000 }).length).toBe(20000);
    }, 120_000);
  }
});
