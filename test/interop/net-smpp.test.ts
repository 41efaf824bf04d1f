// Perl's Net::SMPP (an SMPP 3.4 implementation nobody here wrote) as the peer on each side:
// its ESME against our simulator, and our client against its SMSC.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type Client, connect } from '@smppkit/esme-client';
import { type SmscHandle, startSmsc } from '@smppkit/smsc-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { PeerProcess } from './peer-process.js';

const here = import.meta.dirname;

function haveNetSmpp(): boolean {
  try {
    execFileSync('perl', ['-MNet::SMPP', '-MJSON::PP', '-e1'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!process.env.CI && !haveNetSmpp())('interop with Perl Net::SMPP', () => {
  let smsc: SmscHandle | undefined;
  let client: Client | undefined;
  let peer: PeerProcess | undefined;
  afterEach(async () => {
    peer?.kill();
    await client?.close().catch(() => undefined);
    await smsc?.close();
    smsc = undefined;
    client = undefined;
    peer = undefined;
  });

  it('a Net::SMPP ESME binds to the simulator, submits, queries, and gets a receipt for its message id', async () => {
    smsc = await startSmsc({
      port: 0,
      store: 'memory',
      accounts: [{ systemId: 'perl', password: 'secret', bindTypes: ['transceiver'] }],
      defaultDelayMs: 100,
    });
    peer = new PeerProcess('perl', [
      join(here, 'net-smpp-client.pl'),
      '127.0.0.1',
      String(smsc.port),
      'perl',
      'secret',
      '4790000001',
      'Hello from Net::SMPP',
    ]);
    const code = await peer.exited;
    const ev = (name: string) => peer!.events.find((e) => e.event === name);
    expect(code, JSON.stringify(peer.events) + peer.stderr.join('')).toBe(0);
    expect(ev('bind_transceiver_resp')).toMatchObject({ status: 0 });
    const submitted = ev('submit_sm_resp')!;
    expect(submitted.status).toBe(0);
    const id = submitted.message_id as string;
    expect(id.length).toBeGreaterThan(0);
    expect(ev('query_sm_resp')).toMatchObject({ status: 0, message_id: id });
    expect(ev('enquire_link_resp')).toMatchObject({ status: 0 });
    const receipt = ev('deliver_sm')!;
    expect(receipt.esm_class).toBe(0x04);
    expect(receipt.receipted_message_id).toBe(id);
    expect(receipt.message_state).toBe(2);
    expect(receipt.source_addr).toBe('4790000001');
    expect(receipt.destination_addr).toBe('PERLSMPP');
    expect(receipt.short_message).toMatch(/stat:DELIVRD/);
    expect(ev('unbind_resp')).toMatchObject({ status: 0 });
    const stored = smsc.messages({ systemId: 'perl' });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.text).toBe('Hello from Net::SMPP');
  });

  it('a Net::SMPP ESME with a wrong password is refused', async () => {
    smsc = await startSmsc({
      port: 0,
      store: 'memory',
      accounts: [{ systemId: 'perl', password: 'secret', bindTypes: ['transceiver'] }],
    });
    peer = new PeerProcess('perl', [
      join(here, 'net-smpp-client.pl'),
      '127.0.0.1',
      String(smsc.port),
      'perl',
      'wrong',
      '4790000001',
      'x',
    ]);
    const code = await peer.exited;
    expect(code).toBe(1);
    expect(peer.events.find((e) => e.event === 'bind_transceiver_resp')).toMatchObject({ status: 0x0e });
    expect(smsc.messages()).toHaveLength(0);
  });

  it('our client binds to a Net::SMPP SMSC, submits short and long messages, and matches its receipts', async () => {
    peer = new PeerProcess('perl', [join(here, 'net-smpp-server.pl')]);
    const { port } = await peer.waitFor('listening');
    client = await connect(`smpp://acme:secret@127.0.0.1:${port}`, { enquireLinkIntervalMs: 0 });
    const bind = await peer.waitFor('bind');
    expect(bind).toMatchObject({ command_id: 0x09, system_id: 'acme', password: 'secret', interface_version: 0x34 });

    const short = await client.submit({ from: 'ACME', to: '4790000001', text: 'Hello Perl €', dlr: true });
    expect(short.messageIds).toEqual(['perl-1']);
    const first = await peer.waitFor('submit_sm', 10_000, (e) => e.message_id === 'perl-1');
    expect(first).toMatchObject({
      source_addr: 'ACME',
      destination_addr: '4790000001',
      data_coding: 0,
      registered_delivery: 1,
    });
    // GSM 7-bit unpacked: '€' is the escape sequence 1B 65
    expect(first.short_message_hex).toBe(Buffer.from('Hello Perl ', 'latin1').toString('hex') + '1b65');
    const r1 = await client.waitForReceipt('perl-1', 10_000);
    expect(r1.stat).toBe('DELIVRD');

    const text = 'A'.repeat(200);
    const long = await client.submit({ from: 'ACME', to: '4790000001', text, dlr: true });
    expect(long.messageIds).toEqual(['perl-2', 'perl-3']);
    const parts = await Promise.all(
      ['perl-2', 'perl-3'].map((id) => peer!.waitFor('submit_sm', 10_000, (e) => e.message_id === id)),
    );
    for (const [i, p] of parts.entries()) {
      expect(p.esm_class! as number & 0x40).toBe(0x40);
      const udh = Buffer.from(p.short_message_hex as string, 'hex').subarray(0, 6);
      expect(udh[0]).toBe(5);
      expect(udh[1]).toBe(0);
      expect(udh[4]).toBe(2);
      expect(udh[5]).toBe(i + 1);
    }
    const body = parts
      .map((p) =>
        Buffer.from(p.short_message_hex as string, 'hex')
          .subarray(6)
          .toString('latin1'),
      )
      .join('');
    expect(body).toBe(text);
    const r2 = await client.waitForReceipt('perl-2', 10_000);
    expect(r2.messageIds).toEqual(['perl-2', 'perl-3']);
    expect(r2.delivered).toBe(true);

    await client.close();
    client = undefined;
    await peer.waitFor('unbind');
    expect(await peer.exited).toBe(0);
  });
});
