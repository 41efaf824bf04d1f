// A Session over streams other than a plain TCP socket: TLS on loopback, and an in-memory duplex pair.

import { once } from 'node:events';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../src/index.js';
import { acceptBinds, submit } from './session-helpers.js';

// A throw-away self-signed test certificate for 127.0.0.1 (EC P-256, valid until 2126). Not a secret.
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg8TIauL8zQXKtH8aZ
2/SPUL1vww16QeDczTDWztFX4hehRANCAARIV7Fc2G0ex8LSZaj/SD7t/SdK9LTu
e0/ACRdTRjhxbLrBDsuGPZsLpIXJrPnBchuzOZp207SF5LxXRyj54E+u
-----END PRIVATE KEY-----`;
const CERT = `-----BEGIN CERTIFICATE-----
MIIBmjCCAUGgAwIBAgIUPy3v47V1O570a4nEM9TUTcrmFDowCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMzEzNDUzNVoYDzIxMjYxMDMw
MTM0NTM1WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARIV7Fc2G0ex8LSZaj/SD7t/SdK9LTue0/ACRdTRjhxbLrBDsuGPZsL
pIXJrPnBchuzOZp207SF5LxXRyj54E+uo28wbTAdBgNVHQ4EFgQUmQ8NkONcLOTE
aBWrpEpi8K1ZL84wHwYDVR0jBBgwFoAUmQ8NkONcLOTEaBWrpEpi8K1ZL84wDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDRwAwRAIgMQUs3k4UIB/ziDI8eJj/nQ1gjKK/rdAd/nc8IEiItjMCIGoC
4zoILAlmjp7SjsmBa/+YjKohc1sCjK75w0Nfa25H
-----END CERTIFICATE-----`;

const closers: Array<() => void> = [];
afterEach(() => {
  while (closers.length) closers.pop()!();
});

async function exchange(esme: Session, mc: Session) {
  acceptBinds(mc);
  mc.on('request', (pdu) => {
    if (pdu.command === 'submit_sm') mc.respond(pdu, { message_id: `id-${pdu.short_message.toString()}` });
  });
  expect((await esme.bind({ type: 'transceiver', system_id: 'a', password: 'b' })).command_status).toBe(0);
  const resps = await Promise.all(['x', 'y', 'z'].map((t) => esme.request(submit(t))));
  expect(resps.map((r) => (r.command === 'submit_sm_resp' ? r.message_id : ''))).toEqual(['id-x', 'id-y', 'id-z']);
  const closed = new Promise((r) => mc.once('close', r));
  await esme.unbind();
  expect(await closed).toBe('unbind');
}

describe('Session over other duplex streams', () => {
  it('works over TLS', async () => {
    const server = tls.createServer({ key: KEY, cert: CERT });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    closers.push(() => server.close());
    const accepted = once(server, 'secureConnection') as Promise<[tls.TLSSocket]>;
    const client = tls.connect({ port: (server.address() as { port: number }).port, host: '127.0.0.1', ca: CERT });
    closers.push(() => client.destroy());
    await once(client, 'secureConnect');
    const [serverSocket] = await accepted;
    closers.push(() => serverSocket.destroy());
    await exchange(
      new Session(client, { role: 'esme', enquireLinkIntervalMs: 0 }),
      new Session(serverSocket, { role: 'mc', enquireLinkIntervalMs: 0 }),
    );
  });

  it('works over an in-memory duplex pair (no socket methods at all)', async () => {
    const a = new Duplex({
      read() {},
      write(chunk, _enc, cb) {
        b.push(chunk);
        cb();
      },
      final(cb) {
        b.push(null);
        cb();
      },
    });
    const b: Duplex = new Duplex({
      read() {},
      write(chunk, _enc, cb) {
        a.push(chunk);
        cb();
      },
      final(cb) {
        a.push(null);
        cb();
      },
    });
    closers.push(() => {
      a.destroy();
      b.destroy();
    });
    await exchange(
      new Session(a, { role: 'esme', enquireLinkIntervalMs: 0 }),
      new Session(b, { role: 'mc', enquireLinkIntervalMs: 0 }),
    );
  });
});
