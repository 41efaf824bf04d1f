import { afterEach, describe, expect, it } from 'vitest';
import { type Client, ConnectError, connect } from '../src/index.js';
import { startSmppServer, type TestServer } from './helpers/smpp-server.js';

let server: TestServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close({ drainMs: 0 });
  await server?.close();
  client = undefined;
  server = undefined;
});

describe('bind variants against the npm smpp server', () => {
  it('binds as transceiver by default, with system_type, interface_version and address_range', async () => {
    server = await startSmppServer({ credentials: { system_id: 'acme', password: 'secret' } });
    client = await connect(
      `smpp://acme:secret@127.0.0.1:${server.port}?system_type=VMA&interface_version=0x34&address_range=%5E47`,
    );
    expect(server.binds).toEqual([
      {
        command: 'bind_transceiver',
        system_id: 'acme',
        password: 'secret',
        system_type: 'VMA',
        interface_version: 0x34,
        address_range: '^47',
      },
    ]);
    const r = await client.submit({ from: 'ACME', to: '4790000001', text: 'hello' });
    expect(r.messageIds).toEqual(['1']);
    expect(server.submits[0]!.destination_addr).toBe('4790000001');
    expect(server.submits[0]!.source_addr_ton).toBe(5);
    expect(server.submits[0]!.short_message.message).toBe('hello');
  });

  it('binds transmitter-only, receiver-only, and a transmitter+receiver pair', async () => {
    server = await startSmppServer();
    for (const mode of ['tx', 'rx', 'pair'] as const) {
      const c = await connect(`smpp://u:p@127.0.0.1:${server.port}?mode=${mode}`);
      await c.close();
    }
    expect(server.binds.map((b) => b.command)).toEqual([
      'bind_transmitter',
      'bind_receiver',
      'bind_transmitter',
      'bind_receiver',
    ]);
  });

  it('a receiver-only client refuses to submit, naming the mode', async () => {
    server = await startSmppServer();
    client = await connect(`smpp://u:p@127.0.0.1:${server.port}?mode=rx`);
    await expect(client.submit({ from: 'A', to: '4790000001', text: 'x' })).rejects.toThrow(
      /mode 'receiver' cannot send submit_sm/,
    );
  });

  it('a rejected bind rejects connect with the status name and does not loop', async () => {
    server = await startSmppServer({ credentials: { system_id: 'acme', password: 'secret' } });
    const err = await connect(`smpp://acme:wrong@127.0.0.1:${server.port}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).message).toMatch(/ESME_RBINDFAIL/);
    expect((err as ConnectError).commandStatus).toBe(0x0d);
    await new Promise((r) => setTimeout(r, 700));
    expect(server.binds).toHaveLength(1);
  });

  it('connection refused is a ConnectError naming host and port', async () => {
    server = await startSmppServer();
    const port = server.port;
    await server.close();
    server = undefined;
    await expect(connect(`smpp://u:p@127.0.0.1:${port}`)).rejects.toThrow(new RegExp(`127.0.0.1:${port}`));
  });
});
