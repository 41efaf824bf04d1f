// `esme send` and `esme listen` spawned as a user runs them (node dist/cli.js), against the raw SMPP server
// helper: ids before the receipt, --json on receipt timeout, usage errors before connecting, retries shown,
// errors said once, --trace redacted, a closed pipe, --version, and listen reporting an undecodable message.

import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSmppServer, type TestServer } from './helpers/smpp-server.js';

const root = resolve(__dirname, '../../..');
const cli = join(root, 'packages/esme-client/dist/cli.js');

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/esme-client'], {
    cwd: root,
    stdio: 'inherit',
  });
}, 180_000);

interface Proc {
  stdout: string;
  stderr: string;
  /** Resolves with the exit code (null when killed) once the process has exited. */
  exit: Promise<number | null>;
  /** Resolves once stdout (or stderr) matches. */
  waitFor(stream: 'stdout' | 'stderr', re: RegExp, ms?: number): Promise<void>;
}

function run(cmd: string, args: string[], timeoutMs = 20_000): Proc {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ESME_URL: '' } });
  const p = { stdout: '', stderr: '' } as Proc;
  const waiters: Array<() => void> = [];
  const poke = () => waiters.splice(0).forEach((w) => w());
  child.stdout.on('data', (d) => ((p.stdout += d), poke()));
  child.stderr.on('data', (d) => ((p.stderr += d), poke()));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  p.exit = new Promise((done) => child.on('close', (code) => (clearTimeout(killer), done(code))));
  p.waitFor = (stream, re, ms = 10_000) =>
    new Promise((ok, fail) => {
      const t = setTimeout(
        () => fail(new Error(`no ${re} on ${stream} within ${ms} ms; stdout: ${p.stdout} stderr: ${p.stderr}`)),
        ms,
      );
      const check = () => (re.test(p[stream]) ? (clearTimeout(t), ok()) : waiters.push(check));
      check();
    });
  return p;
}
const esme = (args: string[], timeoutMs?: number) => run(process.execPath, [cli, ...args], timeoutMs);
const sh = (script: string, timeoutMs?: number) => run('sh', ['-c', script], timeoutMs);

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const url = (s: TestServer, pw = 'pw') => `smpp://acme:${pw}@127.0.0.1:${s.port}`;
const receiptFor = (id: string) => ({
  source_addr: '4790000001',
  destination_addr: 'ACME',
  esm_class: 0x04,
  short_message: `id:${id} sub:001 dlvrd:001 submit date:2601011200 done date:2601011200 stat:DELIVRD err:000 text:Hello`,
});

describe('esme send', () => {
  it('prints the message ids as soon as they are accepted, then waits for the receipt', async () => {
    server = await startSmppServer();
    const p = esme([
      'send',
      '--url',
      url(server),
      '--from',
      'ACME',
      '--to',
      '4790000001',
      '--text',
      'Hello',
      '--wait-dlr',
      '15',
    ]);
    await p.waitFor('stdout', /submitted 1 part \(data_coding 0\): 1\n/);
    expect(p.stdout).not.toMatch(/receipt/);
    await new Promise((r) => setTimeout(r, 300)); // still waiting: no receipt sent yet
    expect(p.stdout).not.toMatch(/receipt/);
    await server.deliver(receiptFor('1'));
    expect(await p.exit).toBe(0);
    expect(p.stdout).toMatch(/^submitted 1 part \(data_coding 0\): 1\nreceipt: DELIVRD after \d+\.\d{3} s\n$/);
  });

  it('--json carries messageIds also when the receipt times out (exit 4)', async () => {
    server = await startSmppServer();
    const p = esme([
      'send',
      '--url',
      url(server),
      '--from',
      'ACME',
      '--to',
      '4790000001',
      '--text',
      'Hello '.repeat(40),
      '--wait-dlr',
      '0.5',
      '--json',
    ]);
    expect(await p.exit).toBe(4);
    const out = JSON.parse(p.stdout);
    expect(out).toMatchObject({
      ok: false,
      messageIds: ['1', '2'],
      parts: 2,
      dataCoding: 0,
      error: { code: 'RECEIPT_TIMEOUT' },
    });
    expect(p.stderr).toMatch(/esme: no receipt for message 1 within 500 ms/);
  });

  it('--wait-dlr on a transmitter-only bind is a usage error at once, before connecting', async () => {
    server = await startSmppServer();
    for (const args of [['--bind', 'transmitter'], ['--bind', 'tx'], []]) {
      const u = args.length ? url(server) : `${url(server)}?mode=tx`;
      const p = esme([
        'send',
        '--url',
        u,
        ...args,
        '--from',
        'ACME',
        '--to',
        '4790000001',
        '--text',
        'x',
        '--wait-dlr',
        '10',
      ]);
      expect(await p.exit).toBe(2);
      expect(p.stderr).toMatch(/--wait-dlr needs the receipt, which a transmitter-only bind never receives/);
    }
    expect(server.binds).toHaveLength(0);
  });

  it('shows THROTTLED / MSGQFUL retries on stderr as they happen, and succeeds', async () => {
    server = await startSmppServer({
      onSubmit: (_p, ctx) => (ctx.index === 1 ? { status: 0x58 } : ctx.index === 2 ? { status: 0x14 } : {}),
    });
    const p = esme(['send', '--url', url(server), '--from', 'ACME', '--to', '4790000001', '--text', 'x']);
    expect(await p.exit).toBe(0);
    expect(p.stderr).toMatch(/esme: the SMSC answered ESME_RTHROTTLED \(0x00000058\): retrying in \d+\.\d s\n/);
    expect(p.stderr).toMatch(/esme: the SMSC answered ESME_RMSGQFUL \(0x00000014\): retrying in \d+\.\d s\n/);
    expect(p.stdout).toBe('submitted 1 part (data_coding 0): 3\n');
  }, 30_000);

  it('says a refusal once', async () => {
    server = await startSmppServer({ onSubmit: () => ({ status: 0x0b }) });
    const p = esme(['send', '--url', url(server), '--from', 'ACME', '--to', '4790000001', '--text', 'x']);
    expect(await p.exit).toBe(1);
    expect(p.stderr).toBe('esme: submit_sm failed: ESME_RINVDSTADR (0x0000000b) Invalid destination address\n');
  });

  it('refuses a destination that is not a number, naming it, before anything is sent', async () => {
    server = await startSmppServer();
    for (const to of ['4790000001x', 'ABCDEFGHIJKL']) {
      const p = esme(['send', '--url', url(server), '--from', 'ACME', '--to', to, '--text', 'x']);
      expect(await p.exit).toBe(2);
      expect(p.stderr).toMatch(new RegExp(`^esme: --to '${to}' is not a phone number`));
      expect(p.stderr).not.toMatch(/sender|--from/);
    }
    expect(server.binds).toHaveLength(0);
    expect(server.submits).toHaveLength(0);
    // numbers as people write them are normalised; a national number with --country; a short code when allowed
    const ok = esme(['send', '--url', url(server), '--from', 'ACME', '--to', '+47 900 00 002', '--text', 'x']);
    expect(await ok.exit).toBe(0);
    const nat = esme([
      'send',
      '--url',
      url(server),
      '--from',
      'ACME',
      '--to',
      '900 00 003',
      '--country',
      'NO',
      '--text',
      'x',
    ]);
    expect(await nat.exit).toBe(0);
    const short = esme(['send', '--url', url(server), '--from', 'ACME', '--to', '2222', '--text', 'x']);
    expect(await short.exit).toBe(2);
    const allowed = esme([
      'send',
      '--url',
      url(server),
      '--from',
      'ACME',
      '--to',
      '2222',
      '--allow-short-codes',
      '--text',
      'x',
    ]);
    expect(await allowed.exit).toBe(0);
    expect(server.submits.map((p) => [p.destination_addr, p.dest_addr_ton])).toEqual([
      ['4790000002', 1],
      ['4790000003', 1],
      ['2222', 3],
    ]);
  }, 30_000);

  it('--connect-timeout bounds a bind that gets no answer', async () => {
    const silent = net.createServer(() => {
      /* accepts, never answers */
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const t0 = performance.now();
      const p = esme([
        'send',
        '--url',
        `smpp://a:b@127.0.0.1:${port}`,
        '--from',
        'ACME',
        '--to',
        '4790000001',
        '--text',
        'x',
        '--connect-timeout',
        '0.5',
      ]);
      expect(await p.exit).toBe(3);
      expect(performance.now() - t0).toBeLessThan(8000);
      expect(p.stderr).toMatch(/no bind_transceiver_resp within 500 ms/);
    } finally {
      silent.close();
    }
  });

  it('--national tr sends Turkish as GSM 7-bit with the Turkish table, in fewer parts', async () => {
    server = await startSmppServer();
    const text =
      'Merhaba! Şifreniz 123456. Lütfen bu kodu kimseyle paylaşmayın. Güvenliğiniz için çağrı merkezimiz asla şifre ' +
      'sormaz. İyi günler dileriz, ağustos ayında görüşmek üzere. Şimdi ödeme yapın ve kazanın!';
    const plain = esme([
      'send',
      '--url',
      url(server),
      '--from',
      'ACME',
      '--to',
      '4790000001',
      '--text',
      text,
      '--json',
    ]);
    expect(await plain.exit).toBe(0);
    const tr = esme([
      'send',
      '--url',
      url(server),
      '--from',
      'ACME',
      '--to',
      '4790000001',
      '--text',
      text,
      '--national',
      'tr',
      '--json',
    ]);
    expect(await tr.exit).toBe(0);
    const [a, b] = [JSON.parse(plain.stdout), JSON.parse(tr.stdout)];
    expect(a).toMatchObject({ dataCoding: 8, parts: 3 });
    expect(b).toMatchObject({ dataCoding: 0, parts: 2 });
    const bad = esme([
      'send',
      '--url',
      url(server),
      '--from',
      'ACME',
      '--to',
      '4790000001',
      '--text',
      'x',
      '--national',
      'xx',
    ]);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr).toMatch(/--national 'xx' is not one of tr, es, pt/);
  });

  it('--trace redacts the password and shows short_message as hex and text', async () => {
    server = await startSmppServer();
    const p = esme([
      'send',
      '--url',
      url(server, 's3cr3tpw'),
      '--from',
      'ACME',
      '--to',
      '4790000001',
      '--text',
      'Hello',
      '--trace',
    ]);
    expect(await p.exit).toBe(0);
    expect(server.binds[0]!.password).toBe('s3cr3tpw');
    expect(p.stderr).toMatch(/PDU out bind_transceiver/);
    expect(p.stderr).not.toContain('s3cr3tpw');
    expect(p.stderr).not.toContain(Buffer.from('s3cr3tpw').toString('hex'));
    expect(p.stderr).toContain('"password":"***"');
    expect(p.stderr).toContain(`"short_message":{"hex":"${Buffer.from('Hello').toString('hex')}","text":"Hello"}`);
    expect(p.stderr).not.toContain('"type":"Buffer"');
  });
});

describe('esme and a closed pipe', () => {
  it('`esme --help | head -1` (and into a reader that never reads) exits quietly', async () => {
    for (const tail of ['head -1', 'true']) {
      const p = sh(`node ${cli} --help | ${tail}; echo "rc=$?" >&2`);
      expect(await p.exit).toBe(0);
      expect(p.stderr).toBe('rc=0\n');
    }
  });

  it('`esme send --trace 2>&1 | head -8` ends (no spinning) and quietly', async () => {
    server = await startSmppServer();
    // The SMSC keeps talking (an MO every 200 ms, each traced) while the receipt never comes: esme's writes after
    // head has gone must end it quietly. Without the MOs, whether the 9th line meets a closed pipe or the pipe's
    // buffer depends on timing, and esme would then wait out --wait-dlr silently.
    const s = server;
    const chatter = setInterval(() => {
      if (s.receiverSessions().length > 0)
        void s.deliver({ source_addr: '4790000009', destination_addr: 'ACME', short_message: 'ping' }).catch(() => {});
    }, 200);
    const p = sh(
      `node ${cli} send --url ${url(server)} --from ACME --to 4790000001 --text Hello --trace --wait-dlr 30 2>&1 | head -8`,
      15_000,
    );
    const code = await p.exit;
    clearInterval(chatter);
    expect(code).toBe(0);
    expect(p.stdout.trim().split('\n')).toHaveLength(8);
    expect(p.stdout).not.toMatch(/EPIPE|Error/);
  });
});

describe('esme --version', () => {
  it("prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'packages/esme-client/package.json'), 'utf8'));
    const p = esme(['--version']);
    expect(await p.exit).toBe(0);
    expect(p.stdout).toBe(`${version}\n`);
  });
});

describe('esme listen', () => {
  it('prints a deliver_sm whose UDH cannot be parsed (acknowledged): stderr, and a JSON line with "error"', async () => {
    server = await startSmppServer();
    const p = esme(['listen', '--url', url(server), '--json', '--count', '1', '--timeout', '15']);
    await until(() => server!.receiverSessions().length === 1);
    const resp = await server.deliver({
      source_addr: '4790000009',
      destination_addr: '2222',
      esm_class: 0x40,
      short_message: Buffer.from([0x05, 0x00, 0x03]),
    });
    expect(resp.command_status).toBe(0);
    await p.waitFor('stdout', /"type":"error"/);
    await server.deliver({ source_addr: '4790000009', destination_addr: '2222', short_message: 'after' });
    expect(await p.exit).toBe(0);
    const lines = p.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      type: 'error',
      error: {
        code: 'UNDECODABLE_MESSAGE',
        reason: 'UDHL is 5 but only 2 octets follow it',
        pdu: { command: 'deliver_sm', source_addr: '4790000009', short_message: { hex: '050003' } },
      },
    });
    expect(lines[1]).toMatchObject({ type: 'message', text: 'after' });
    expect(p.stderr).toMatch(
      /esme: deliver_sm from 4790000009 to 2222 \(sequence \d+\) acknowledged but not decodable: UDHL is 5 but only 2 octets follow it\n/,
    );
  });

  it('prints what the SMSC delivers right after bind_resp (listeners attached before the bind)', async () => {
    const malformed = {
      source_addr: '4790000009',
      destination_addr: '2222',
      esm_class: 0x40,
      short_message: Buffer.from([0x05, 0x00, 0x03]),
    };
    server = await startSmppServer({
      onBound: (s) => {
        s.deliver_sm(malformed);
        s.deliver_sm({ source_addr: '4790000009', destination_addr: '2222', short_message: 'held' });
      },
    });
    const p = esme(['listen', '--url', url(server), '--json', '--count', '1', '--timeout', '15']);
    expect(await p.exit).toBe(0);
    const lines = p.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['error', 'message']);
    expect(lines[1]).toMatchObject({ text: 'held' });
  });

  it('without --json, the undecodable message and a resent part go to stderr', async () => {
    server = await startSmppServer();
    const p = esme(['listen', '--url', url(server), '--count', '1', '--timeout', '15']);
    await until(() => server!.receiverSessions().length === 1);
    await server.deliver({
      source_addr: '4790000009',
      destination_addr: '2222',
      esm_class: 0x40,
      short_message: Buffer.from([0x05, 0x00, 0x03]),
    });
    const part = (seq: number, text: string) => ({
      source_addr: '4790000009',
      destination_addr: '2222',
      esm_class: 0x40,
      short_message: Buffer.concat([Buffer.from([5, 0, 3, 7, 2, seq]), Buffer.from(text)]),
    });
    await server.deliver(part(1, 'one '));
    await server.deliver(part(1, 'one '));
    await server.deliver(part(2, 'two'));
    expect(await p.exit).toBe(0);
    expect(p.stdout).toBe('message from 4790000009 to 2222: one two\n');
    expect(p.stderr).toMatch(/acknowledged but not decodable: UDHL is 5 but only 2 octets follow it/);
    expect(p.stderr).toMatch(
      /esme: part 1 of 2 \(reference 7\) from 4790000009 to 2222 received again, ignored \(already held\)/,
    );
  });
});

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
