// A server in its own process for the end-to-end benchmark, so client and server each get a core:
//   smsc  <dbFile>   the simulator (@smppkit/smsc-sim) persisting to SQLite, receipts sent at once (PROBE_STORE=memory:
//                    a memory store)
//   smpp             a server built on the npm `smpp` package: submit_sm_resp at once, and a receipt
//                    (deliver_sm) right after when registered_delivery asks for one
//   echo <sizes>     the plain TCP exchange of the same sizes (bench/tcp-echo.ts), the machine's limit
//   raw              a minimal SMSC with no session or store (bench/raw-smsc.ts): the client measured alone
// Prints {"port": N} on stdout when listening. Each line `cpu` on stdin is answered with the process's CPU time so
// far, {"cpuUs": N, "userUs": U, "systemUs": S} (microseconds); exits when stdin closes.

import { startSmsc } from '@smppkit/smsc-sim';
import smpp from 'smpp';
import { startRawSmsc } from './raw-smsc.js';
import { startEchoServer } from './tcp-echo.js';

const [kind, dbFile] = process.argv.slice(2);

async function main(): Promise<void> {
  let close: () => Promise<void>;
  let port: number;
  if (kind === 'smsc') {
    const smsc = await startSmsc({
      store: process.env.PROBE_STORE === 'memory' ? 'memory' : { path: dbFile! },
      accounts: [{ systemId: 'bench', password: 'bench', maxBinds: 100 }],
      defaultDelayMs: 0,
      logLevel: 'error',
    });
    port = smsc.port;
    close = () => smsc.close();
  } else if (kind === 'smpp') {
    let n = 0;
    const server = smpp.createServer((session: any) => {
      session.on('error', () => {});
      const bind = (pdu: any) => session.send(pdu.response({ system_id: 'SMPP' }));
      session.on('bind_transceiver', bind);
      session.on('enquire_link', (pdu: any) => session.send(pdu.response()));
      session.on('unbind', (pdu: any) => {
        session.send(pdu.response());
        session.close();
      });
      session.on('submit_sm', (pdu: any) => {
        const id = (++n).toString(16);
        session.send(pdu.response({ message_id: id }));
        if (pdu.registered_delivery & 0x03) {
          session.deliver_sm({
            source_addr: pdu.destination_addr,
            destination_addr: pdu.source_addr,
            esm_class: 0x04,
            short_message: `id:${id} sub:001 dlvrd:001 submit date:2501011200 done date:2501011200 stat:DELIVRD err:000 text:`,
            receipted_message_id: id,
            message_state: 2,
          });
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = server.address().port;
    close = () => new Promise<void>((r) => server.close(() => r()));
  } else if (kind === 'raw') {
    const server = await startRawSmsc();
    port = (server.address() as { port: number }).port;
    close = () => new Promise<void>((r) => server.close(() => r()));
  } else if (kind === 'echo') {
    const server = await startEchoServer(JSON.parse(dbFile!));
    port = (server.address() as { port: number }).port;
    close = () => new Promise<void>((r) => server.close(() => r()));
  } else {
    throw new Error(`unknown server kind '${kind}' (smsc or smpp)`);
  }
  process.stdout.write(JSON.stringify({ port }) + '\n');
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) {
      if (line.trim() !== 'cpu') continue;
      const u = process.cpuUsage();
      process.stdout.write(JSON.stringify({ cpuUs: u.user + u.system, userUs: u.user, systemUs: u.system }) + '\n');
    }
  });
  process.stdin.on('end', () => {
    void close().finally(() => process.exit(0));
  });
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
