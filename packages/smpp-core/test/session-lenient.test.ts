// Session strictness over loopback: an MC written by hand sends a deliver_sm whose service_type is 8 octets
// ("smscsim", 6 allowed), as one Go SMSC simulator does.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type LeniencyWarning,
  type PduOf,
  type RequestPdu,
  CommandStatus as S,
  Session,
  type SessionOptions,
} from '../src/index.js';
import { sessionWithRawPeer, until } from './session-helpers.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const cstr = (s: string) => Buffer.concat([Buffer.from(s, 'latin1'), Buffer.of(0)]);

/** deliver_sm seq 9 with service_type "smscsim", header and body written by hand. */
function smscsimDeliver(): Buffer {
  const sm = Buffer.from('hello from the Go simulator');
  const body = Buffer.concat([
    cstr('smscsim'),
    Buffer.of(1, 1),
    cstr('4790000001'),
    Buffer.of(5, 0),
    cstr('ACME'),
    Buffer.of(0, 0, 0),
    cstr(''),
    cstr(''),
    Buffer.of(0, 0, 0, 0, sm.length),
    sm,
  ]);
  const h = Buffer.alloc(16);
  h.writeUInt32BE(16 + body.length, 0);
  h.writeUInt32BE(0x00000005, 4);
  h.writeUInt32BE(9, 12);
  return Buffer.concat([h, body]);
}

/** An esme session bound (transceiver) by a raw MC that answers the bind itself. */
async function boundEsme(options: Partial<SessionOptions>) {
  const s = await sessionWithRawPeer({ role: 'esme', ...options });
  cleanup = s.close;
  const bound = s.session.bind({ type: 'transceiver', system_id: 'a', password: 'b' });
  const bind = await s.peer.nth(1);
  s.peer.send({
    command: 'bind_transceiver_resp',
    command_status: 0,
    sequence_number: bind.sequence_number,
    system_id: 'GOSIM',
  });
  expect((await bound).command_status).toBe(0);
  return s;
}

describe('strictness', () => {
  it('strict (the default): the deliver_sm is refused ESME_RINVSERTYP and never reaches the application', async () => {
    const s = await boundEsme({});
    const requests: RequestPdu[] = [];
    s.session.on('request', (pdu) => requests.push(pdu));
    s.peer.write(smscsimDeliver());
    const resp = await s.peer.nth(2);
    expect(resp).toMatchObject({ command: 'deliver_sm_resp', command_status: S.ESME_RINVSERTYP, sequence_number: 9 });
    expect(requests).toEqual([]);
    expect(s.session.stats).toEqual({ decodeErrors: 1, leniency: 0, duplicates: 0, refusedUnbinding: 0 });
  });

  it('lenient: the deliver_sm reaches the application as received, is answered 0, and the field is counted', async () => {
    const s = await boundEsme({ strictness: 'lenient' });
    const warnings: LeniencyWarning[] = [];
    s.session.on('lenient', (w) => warnings.push(w));
    s.session.on('request', (pdu) => {
      if (pdu.command === 'deliver_sm') s.session.respond(pdu);
    });
    const seen = new Promise<RequestPdu>((resolve) => s.session.once('request', resolve));
    s.peer.write(smscsimDeliver());
    const pdu = (await seen) as PduOf<'deliver_sm'>;
    expect(pdu).toMatchObject({ service_type: 'smscsim', source_addr: '4790000001', destination_addr: 'ACME' });
    expect(pdu.short_message.toString()).toBe('hello from the Go simulator');
    expect(await s.peer.nth(2)).toMatchObject({ command: 'deliver_sm_resp', command_status: 0, sequence_number: 9 });
    expect(warnings).toEqual([{ command: 'deliver_sm', field: 'service_type', length: 8, max: 6 }]);
    expect(s.session.stats).toEqual({ decodeErrors: 0, leniency: 1, duplicates: 0, refusedUnbinding: 0 });
  });

  it('lenient: broken framing still closes the session', async () => {
    const s = await boundEsme({ strictness: 'lenient' });
    const closed = new Promise((resolve) => s.session.once('close', resolve));
    s.peer.write(Buffer.from('0000000800000005', 'hex')); // command_length 8 < 16
    expect(await closed).toBe('framing-error');
    await until(() => s.session.state === 'CLOSED');
  });

  it('lenient: what we send is still checked: an 8-octet service_type is not sent', async () => {
    const s = await boundEsme({ strictness: 'lenient' });
    await expect(s.session.request({ command: 'submit_sm', service_type: 'smscsim' })).rejects.toThrow(/service_type/);
  });

  it('setStrictness switches from the next PDU on: strict refuses, then lenient accepts the same deliver_sm', async () => {
    const s = await boundEsme({});
    s.session.on('request', (pdu) => {
      if (pdu.command === 'deliver_sm') s.session.respond(pdu);
    });
    s.peer.write(smscsimDeliver());
    expect(await s.peer.nth(2)).toMatchObject({ command: 'deliver_sm_resp', command_status: 0x15 }); // ESME_RINVSERTYP
    s.session.setStrictness('lenient');
    s.peer.write(smscsimDeliver());
    expect(await s.peer.nth(3)).toMatchObject({ command: 'deliver_sm_resp', command_status: 0 });
    expect(s.session.stats.leniency).toBe(1);
    expect(() => s.session.setStrictness('loose' as never)).toThrow(
      /strictness must be 'strict' or 'lenient', got loose/,
    );
  });

  it('refuses an unknown strictness, naming it', () => {
    expect(() => new Session(new PassThrough(), { role: 'esme', strictness: 'loose' as never })).toThrow(
      /strictness must be 'strict' or 'lenient', got loose/,
    );
  });
});
