// The esme CLI as a user runs it: spawned processes, exit statuses, JSON output.

import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type SmscHandle, startSmsc } from '@smppkit/smsc-sim';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const cli = join(root, 'packages/esme-client/dist/cli.js');

beforeAll(() => {
  if (!existsSync(cli))
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'packages/esme-client'], { cwd: root, stdio: 'inherit' });
}, 120_000);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function esme(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...process.env, ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

let smsc: SmscHandle | undefined;
afterEach(async () => {
  await smsc?.close();
  smsc = undefined;
});

async function sim(extra: Record<string, unknown> = {}): Promise<string> {
  smsc = await startSmsc({ accounts: [{ systemId: 'acme', password: 'pw' }], defaultDelayMs: 20, ...extra });
  return `smpp://acme:pw@127.0.0.1:${smsc.port}`;
}

describe('esme CLI', () => {
  it('--help lists the commands and examples; a bad option exits 2', async () => {
    const help = await esme(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    for (const c of ['send', 'listen', 'load', 'bulk']) expect(help.stdout).toContain(c);
    const sendHelp = await esme(['send', '--help']);
    expect(sendHelp.stdout).toMatch(/--wait-dlr/);
    const missing = await esme(['send', '--url', 'smpp://a:b@127.0.0.1:1', '--from', 'A', '--text', 'x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--to/);
    const badUrl = await esme(['send', '--url', 'http://a:b@h', '--from', 'A', '--to', '4790000001', '--text', 'x']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/scheme 'http:'/);
  });

  it('send --json prints the ids; --wait-dlr prints the receipt', async () => {
    const url = await sim();
    const r = await esme([
      'send',
      '--url',
      url,
      '--from',
      'ACME',
      '--to',
      '4790000001',
      '--text',
      'Hello '.repeat(40),
      '--wait-dlr',
      '10',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(true);
    expect(out.parts).toBe(2);
    expect(out.messageIds).toHaveLength(2);
    expect(out.receipt).toMatchObject({ stat: 'DELIVRD', delivered: true, messageIds: out.messageIds });
    const m = await smsc!.waitForMessage({ to: '4790000001' });
    expect(m.ids).toEqual(out.messageIds);
  });

  it('send exits 1 with the status name and description when the SMSC refuses, 1 when not delivered', async () => {
    const url = await sim({
      rules: [
        { match: { destination: '4799' }, response: { status: 0x0b } },
        { match: { destination: '4798' }, outcome: { state: 'UNDELIVERABLE', delayMs: 10 } },
      ],
    });
    const refused = await esme(['send', '--url', url, '--from', 'ACME', '--to', '4799000000', '--text', 'x', '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error).toMatchObject({
      code: 'SMPP_STATUS',
      status: 'ESME_RINVDSTADR',
      commandStatus: 11,
    });
    expect(refused.stderr).toMatch(/ESME_RINVDSTADR \(0x0000000b\) Invalid destination address/); // said once (issue 10)
    const undelivered = await esme([
      'send',
      '--url',
      url,
      '--from',
      'ACME',
      '--to',
      '4798000000',
      '--text',
      'x',
      '--wait-dlr',
      '10',
    ]);
    expect(undelivered.code).toBe(1);
    expect(undelivered.stdout).toMatch(/receipt: UNDELIV/);
  });

  it('exits 4 when the receipt does not come in time', async () => {
    const url = await sim({
      rules: [{ match: { destination: '4797' }, outcome: { state: 'DELIVERED', delayMs: 60_000 } }],
    });
    const r = await esme([
      'send',
      '--url',
      url,
      '--from',
      'ACME',
      '--to',
      '4797000000',
      '--text',
      'slow',
      '--wait-dlr',
      '0.5',
      '--json',
    ]);
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'RECEIPT_TIMEOUT' });
    expect(r.stderr).toMatch(/no receipt for message .* within 500 ms/);
  });

  it('exits 3 when it cannot connect, naming host and port', async () => {
    const r = await esme([
      'send',
      '--url',
      'smpp://a:b@127.0.0.1:1',
      '--from',
      'A',
      '--to',
      '4790000001',
      '--text',
      'x',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/127\.0\.0\.1:1/);
  });

  it('listen --json prints incoming messages one JSON object per line', async () => {
    const url = await sim();
    const p = esme(['listen', '--url', url, '--json', '--count', '2', '--timeout', '20']);
    const deadline = Date.now() + 15_000;
    while (smsc!.sessions().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 100));
    smsc!.injectMo({ from: '4790000009', to: '2222', text: 'first reply', systemId: 'acme' });
    smsc!.injectMo({ from: '4790000008', to: '2222', text: 'Ответ 😀', systemId: 'acme' });
    const r = await p;
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.type, l.from, l.text]).sort()).toEqual([
      ['message', '4790000008', 'Ответ 😀'],
      ['message', '4790000009', 'first reply'],
    ]);
  });

  it('load --json reports sent, acknowledged, latency percentiles and receipts', async () => {
    const url = await sim();
    const dir = mkdtempSync(join(tmpdir(), 'esme-load-'));
    try {
      const file = join(dir, 'report.json');
      const r = await esme([
        'load',
        '--url',
        url,
        '--binds',
        '2',
        '--window',
        '10',
        '--unlimited',
        '--count',
        '300',
        '--dlr',
        '--mix',
        'gsm,ucs2,long',
        '--json',
        '--quiet',
        '--report',
        file,
      ]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report).toMatchObject({ mode: 'closed', sent: 300, acknowledged: 300, failed: 0, binds: 2, window: 10 });
      expect(report.latencyMs.p50).toBeGreaterThan(0);
      expect(report.latencyMs.p999).toBeGreaterThanOrEqual(report.latencyMs.p99);
      expect(report.receipts).toMatchObject({ received: 300, byStat: { DELIVRD: 300 }, missing: 0 });
      expect(JSON.parse(readFileSync(file, 'utf8')).sent).toBe(300);
      const bad = await esme(['load', '--url', url, '--count', '10']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--rate R .* or --unlimited/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bulk sends one message per valid row and reports invalid rows with their row number', async () => {
    const url = await sim();
    const dir = mkdtempSync(join(tmpdir(), 'esme-bulk-'));
    try {
      const csv = join(dir, 'contacts.csv');
      writeFileSync(
        csv,
        'to,name,code\n4790000001,"Smith, Anna",1111\n4790000002,Bob\nnot-a-number,Cy,3333\n4790000004,,4444\n4790000005,"Dee ""D""",5555\n',
      );
      const r = await esme([
        'bulk',
        '--url',
        url,
        '--csv',
        csv,
        '--template',
        'Hi {{name}}, your code is {{code}}',
        '--rate',
        '50',
        '--wait-dlr',
        '10',
        '--json',
      ]);
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const summary = lines.at(-1);
      expect(summary).toMatchObject({ type: 'summary', rows: 5, sent: 2, failed: 0, invalid: 3, delivered: 2 });
      const invalid = lines.filter((l) => l.status === 'invalid').map((l) => [l.row, l.reason]);
      expect(invalid).toEqual([
        [3, 'has 2 fields, the header has 3'],
        // issue 11: the destination rule names the expected format
        [
          4,
          "to 'not-a-number' is not a phone number: 'n' is not a digit (expected an international number, country code first (4790000001, +47 900 00 001, (479) 000-0001))",
        ],
        [5, "field 'name' is empty"],
      ]);
      expect(r.code).toBe(1); // invalid rows are a failure, not silently skipped
      expect((await smsc!.waitForMessage({ to: '4790000001' })).text).toBe('Hi Smith, Anna, your code is 1111');
      expect((await smsc!.waitForMessage({ to: '4790000005' })).text).toBe('Hi Dee "D", your code is 5555');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
