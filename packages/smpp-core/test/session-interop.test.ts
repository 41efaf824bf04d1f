// Our Session against an implementation nobody here wrote: the npm `smpp` package (test-only dependency),
// on each side of a loopback connection.

import { once } from 'node:events';
import { createRequire } from 'node:module';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Pdu, Session } from '../src/index.js';
import { submit, until } from './session-helpers.js';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const smpp = require('smpp') as any;

const closers: Array<() => void> = [];
afterEach(() => {
  while (closers.length) closers.pop()!();
});

describe('interop with the npm smpp package', () => {
  it('our ESME session against an smpp server: bind, submit_sm, deliver_sm both ways, enquire_link, unbind', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let serverSession: any;
    const seen: string[] = [];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const server = smpp.createServer((session: any) => {
      serverSession = session;
      session.on('error', () => {});
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      session.on('pdu', (pdu: any) => seen.push(pdu.command));
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      session.on('bind_transceiver', (pdu: any) => session.send(pdu.response({ system_id: 'NODESMPP' })));
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      session.on('submit_sm', (pdu: any) => session.send(pdu.response({ message_id: `mid-${pdu.destination_addr}` })));
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      session.on('unbind', (pdu: any) => {
        session.send(pdu.response());
        session.close();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    closers.push(() => server.close());
    const socket = net.connect(server.address().port, '127.0.0.1');
    closers.push(() => socket.destroy());
    await once(socket, 'connect');
    const esme = new Session(socket, { role: 'esme', enquireLinkIntervalMs: 0 });
    const delivered: Pdu[] = [];
    esme.on('request', (pdu) => {
      delivered.push(pdu);
      if (pdu.command === 'deliver_sm') esme.respond(pdu);
    });

    const bind = await esme.bind({ type: 'transceiver', system_id: 'me', password: 'pw' });
    expect(bind).toMatchObject({ command: 'bind_transceiver_resp', command_status: 0, system_id: 'NODESMPP' });
    const resp = await esme.request(submit('hello', '447700900123'));
    expect(resp).toMatchObject({ command: 'submit_sm_resp', command_status: 0, message_id: 'mid-447700900123' });

    // the smpp server delivers to us, and pings us
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const dlr = new Promise<any>((resolve) =>
      serverSession.deliver_sm(
        { source_addr: '447700900123', destination_addr: 'me', short_message: 'hi back' },
        resolve,
      ),
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const pong = new Promise<any>((resolve) => serverSession.enquire_link(resolve));
    expect((await dlr).command).toBe('deliver_sm_resp');
    expect((await dlr).command_status).toBe(0);
    expect((await pong).command).toBe('enquire_link_resp');
    expect(delivered.map((p) => p.command)).toEqual(['deliver_sm']); // the enquire_link was answered by the session
    const d = delivered[0];
    expect(d.command === 'deliver_sm' && d.short_message.toString()).toBe('hi back');

    const closed = new Promise((r) => esme.once('close', r));
    await esme.unbind();
    expect(await closed).toBe('unbind');
    expect(seen).toEqual(['bind_transceiver', 'submit_sm', 'deliver_sm_resp', 'enquire_link_resp', 'unbind']);
  });

  it('an smpp client against our MC session: bind, submit_sm, deliver_sm, unbind', async () => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    closers.push(() => server.close());
    let mc: Session | undefined;
    const requests: string[] = [];
    server.on('connection', (socket) => {
      mc = new Session(socket, { role: 'mc', enquireLinkIntervalMs: 0 });
      mc.on('request', (pdu) => {
        requests.push(pdu.command);
        if (pdu.command === 'bind_transmitter' || pdu.command === 'bind_transceiver')
          mc!.respond(pdu, { system_id: 'OURS' });
        if (pdu.command === 'submit_sm') mc!.respond(pdu, { message_id: `ours-${pdu.short_message.toString()}` });
      });
    });
    const client = smpp.connect({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
    closers.push(() => client.destroy());
    client.on('error', () => {});
    await once(client, 'connect');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const call = (method: string, fields: object) => new Promise<any>((resolve) => client[method](fields, resolve));

    const bind = await call('bind_transceiver', { system_id: 'them', password: 'pw' });
    expect(bind.command_status).toBe(0);
    expect(bind.system_id).toBe('OURS');
    await until(() => mc?.state === 'BOUND_TRX');
    const sub = await call('submit_sm', { destination_addr: '123', short_message: 'abc' });
    expect(sub.command_status).toBe(0);
    expect(sub.message_id).toBe('ours-abc');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    client.on('deliver_sm', (pdu: any) => client.send(pdu.response()));
    const dr = await mc!.request({
      command: 'deliver_sm',
      source_addr: '123',
      destination_addr: 'them',
      short_message: Buffer.from('receipt'),
    });
    expect(dr).toMatchObject({ command: 'deliver_sm_resp', command_status: 0 });
    const ping = await call('enquire_link', {});
    expect(ping.command).toBe('enquire_link_resp');
    const closed = new Promise((r) => mc!.once('close', r));
    const unbind = await call('unbind', {});
    expect(unbind.command).toBe('unbind_resp');
    expect(await closed).toBe('unbind');
    expect(requests).toEqual(['bind_transceiver', 'submit_sm']);
  });
});
