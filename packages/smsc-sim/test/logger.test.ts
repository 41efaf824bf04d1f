// What the simulator's logger writes, captured: no password at any level (the debug PDU trace decodes and dumps
// every bind), over real binds on a real socket.
import { afterEach, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { createLogger, REDACTED, redactPduHex } from '../src/util/logger.js';
import { connectPeer, type Peer } from './smpp-peer.js';

const hex = (s: string) => Buffer.from(s, 'latin1').toString('hex');
let smsc: SmscHandle | undefined;
const peers: Peer[] = [];

afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  await smsc?.close();
  smsc = undefined;
});

describe('logger', () => {
  for (const level of ['trace', 'debug', 'info'])
    it(`writes no password at ${level} level, from good and bad binds`, async () => {
      const lines: string[] = [];
      const logger = createLogger(level, { write: (s: string) => void lines.push(s) });
      smsc = await startSmsc({
        port: 0,
        store: 'memory',
        logger,
        accounts: [{ systemId: 'acme', password: 'sekret1' }],
      });
      const good = await connectPeer(smsc.port);
      const bad = await connectPeer(smsc.port);
      peers.push(good, bad);
      expect((await good.call('bind_transceiver', { system_id: 'acme', password: 'sekret1' })).command_status).toBe(0);
      expect((await bad.call('bind_transmitter', { system_id: 'acme', password: 'wrongpw' })).command_status).toBe(
        0x0e,
      );
      for (const p of peers.splice(0)) p.close();
      await Promise.all([good.closed, bad.closed]);
      await smsc.close();
      smsc = undefined;
      const out = lines.join('');
      for (const secret of ['sekret1', 'wrongpw', hex('sekret1'), hex('wrongpw')]) expect(out).not.toContain(secret);
      const binds = lines
        .map((l) => JSON.parse(l))
        .filter((o) => o.msg === 'pdu' && o.pdu !== undefined && /^bind_t\w+r$/.test(o.command));
      if (level === 'info') expect(binds).toEqual([]);
      else {
        expect(binds).toHaveLength(2);
        for (const b of binds) {
          expect(b.pdu).toMatchObject({ system_id: 'acme', password: REDACTED });
          expect(b.hex).toContain(`${hex('acme')}00${REDACTED}00`);
        }
      }
    });

  it('cuts the password out of a bind or outbind hex dump and leaves other PDUs alone', () => {
    const header = (id: string) => `0000001e${id}0000000000000001`;
    const bind = `${header('00000009')}61636d650070770034000000`;
    expect(redactPduHex(bind)).toBe(`${header('00000009')}61636d6500${REDACTED}0034000000`);
    expect(redactPduHex(`${header('0000000b')}61006162636400`)).toBe(`${header('0000000b')}6100${REDACTED}00`);
    // cut off inside the password: everything after system_id goes
    expect(redactPduHex(`${header('00000002')}6100616263`)).toBe(`${header('00000002')}6100${REDACTED}`);
    const submit = '0000001a00000004000000000000000100616263';
    expect(redactPduHex(submit)).toBe(submit);
  });
});
