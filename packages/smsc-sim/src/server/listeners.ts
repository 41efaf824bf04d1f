// The SMPP listeners (TCP, and TLS when configured) and the graceful end of a connection.

import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { ConfigError, type TlsConfig } from '../config/types.js';
import type { Connection } from './connection.js';

export function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** A TLS server with the configured key and certificate (ConfigError when they cannot be read). */
export function tlsServer(t: TlsConfig, onSocket: (socket: tls.TLSSocket) => void): tls.Server {
  let key: Buffer, cert: Buffer;
  try {
    key = readFileSync(t.key);
    cert = readFileSync(t.cert);
  } catch (e) {
    throw new ConfigError(`tls: cannot read the key or certificate: ${(e as Error).message}`);
  }
  return tls.createServer({ key, cert }, onSocket);
}

/** how long a bound session gets to answer the unbind of a shutdown */
const UNBIND_WAIT_MS = 2000;

/** Unbinds a bound session (waiting at most UNBIND_WAIT_MS), then closes it. */
export async function unbindQuietly(c: Connection): Promise<void> {
  const bound = c.session.state.startsWith('BOUND');
  try {
    if (bound) await withTimeout(c.session.unbind(), UNBIND_WAIT_MS);
  } catch {
    /* peer gone or slow */
  }
  c.session.close('local');
  c.socket.destroy();
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/** Opens a TCP connection (for outbind); rejects with the connect error. */
export function connectTo(port: number, host: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}
