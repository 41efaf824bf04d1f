// Per-account decode strictness: an account marked lenient is read leniently from the PDU after its bind on (a
// C-string longer than the spec allows is accepted and counted); a strict account (the default) is refused.
import { CommandStatus } from '@smppkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { bindPdu, submitSmPdu } from './pdus.js';
import { rawClient } from './raw-client.js';

/** A submit_sm whose service_type is `serviceType` (the encoder refuses one over 5 characters: spliced in). */
function submitWithServiceType(seq: number, serviceType: string): Buffer {
  const pdu = submitSmPdu(seq, { destination_addr: '4790000001' });
  // the body begins with service_type: the empty C-string's NUL at offset 16
  const out = Buffer.concat([pdu.subarray(0, 16), Buffer.from(`${serviceType}\0`, 'latin1'), pdu.subarray(17)]);
  out.writeUInt32BE(out.length, 0);
  return out;
}

let smsc: SmscHandle | undefined;
afterEach(async () => {
  await smsc?.close();
  smsc = undefined;
});

describe('account strictness', () => {
  it('lenient account: an over-long C-string is accepted and counted; strict account: refused', async () => {
    smsc = await startSmsc({
      accounts: [
        { systemId: 'sloppy', password: 'pw', strictness: 'lenient' },
        { systemId: 'tidy', password: 'pw' },
      ],
    });
    const results: Record<string, { status: number; leniency: number }> = {};
    for (const systemId of ['sloppy', 'tidy']) {
      const c = await rawClient(smsc.port);
      c.socket.write(bindPdu(1, systemId, 'pw'));
      expect((await c.next()).command_status).toBe(0);
      c.socket.write(submitWithServiceType(2, 'TOOLONGSERVICE'));
      const r = await c.next();
      expect(r.sequence_number).toBe(2);
      const conn = [...smsc.smsc.connections.values()].find((x) => x.account?.systemId === systemId)!;
      results[systemId] = { status: r.command_status, leniency: conn.session.stats.leniency };
      expect(smsc.sessions().find((s) => s.systemId === systemId)!.leniency).toBe(results[systemId].leniency);
      c.socket.destroy();
    }
    expect(results.sloppy).toEqual({ status: 0, leniency: 1 });
    expect(results.tidy).toEqual({ status: CommandStatus.ESME_RINVSERTYP, leniency: 0 });
    const stored = smsc.messages({ systemId: 'sloppy' });
    expect(stored).toHaveLength(1);
    expect(smsc.messages({ systemId: 'tidy' })).toHaveLength(0);
  });

  it('is strict unless the account says otherwise, and refuses an unknown setting naming it', async () => {
    await expect(startSmsc({ accounts: [{ systemId: 'a', password: 'pw', strictness: 'loose' }] })).rejects.toThrow(
      /accounts\[0\]\.strictness: "loose" is not one of "strict", "lenient"/,
    );
  });
});
