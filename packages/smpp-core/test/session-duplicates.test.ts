// A request whose sequence_number is that of a request still unanswered: refused by the session, never handed to
// the application (it could answer only one of the two). Over loopback, against a peer writing bytes by hand.
import { afterEach, describe, expect, it } from 'vitest';
import { CommandStatus, encodePdu, type RequestPdu } from '../src/index.js';
import { sessionWithRawPeer, until } from './session-helpers.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const submitBytes = (seq: number, text: string) =>
  encodePdu({
    command: 'submit_sm',
    command_status: 0,
    sequence_number: seq,
    source_addr: '1000',
    destination_addr: '2000',
    short_message: Buffer.from(text),
  } as never);

/** An MC session bound by a raw peer; the application keeps every other request, unanswered. */
async function boundMc() {
  const s = await sessionWithRawPeer({ role: 'mc' });
  cleanup = s.close;
  const seen: RequestPdu[] = [];
  s.session.on('request', (pdu) => {
    if (pdu.command === 'bind_transceiver') s.session.respond(pdu, { system_id: 'SMSC' });
    else seen.push(pdu);
  });
  s.peer.send({
    command: 'bind_transceiver',
    command_status: 0,
    sequence_number: 1,
    system_id: 'a',
    password: 'b',
    system_type: '',
    interface_version: 0x34,
    addr_ton: 0,
    addr_npi: 0,
    address_range: '',
  });
  await s.peer.nth(1);
  return { ...s, seen };
}

describe('duplicate sequence numbers', () => {
  it('a second request with the sequence number of an unanswered one is answered ESME_RSYSERR, not handed on', async () => {
    const s = await boundMc();
    s.peer.write(Buffer.concat([submitBytes(7, 'first'), submitBytes(7, 'second')])); // one write, one read
    const refusal = await s.peer.nth(2);
    expect(refusal).toMatchObject({
      command: 'submit_sm_resp',
      sequence_number: 7,
      command_status: CommandStatus.ESME_RSYSERR,
    });
    expect(s.seen.map((p) => (p as { short_message: Buffer }).short_message.toString())).toEqual(['first']);
    expect(s.session.stats.duplicates).toBe(1);
    expect(s.session.unanswered).toBe(1);

    expect(s.session.respond(s.seen[0], { message_id: 'm1' })).toBe(true);
    expect(await s.peer.nth(3)).toMatchObject({
      command: 'submit_sm_resp',
      sequence_number: 7,
      command_status: 0,
      message_id: 'm1',
    });
    // once the first is answered its sequence number is free again
    s.peer.write(submitBytes(7, 'third'));
    await until(() => s.seen.length === 2, 5000, 'third submit_sm handed on');
    expect(s.session.stats.duplicates).toBe(1);
    expect(s.peer.received).toHaveLength(3);
  });

  it('requests with distinct sequence numbers in one read all reach the application', async () => {
    const s = await boundMc();
    s.peer.write(Buffer.concat([submitBytes(7, 'a'), submitBytes(8, 'b'), submitBytes(9, 'c')]));
    await until(() => s.seen.length === 3, 5000, 'three submit_sm');
    expect(s.session.stats.duplicates).toBe(0);
    expect(s.peer.received).toHaveLength(1); // the bind_transceiver_resp only
  });
});

describe('requests read while unbinding', () => {
  it('are refused ESME_RINVBNDSTS, never handed on; those read before are answered before our unbind', async () => {
    const s = await boundMc();
    s.peer.write(submitBytes(2, 'before'));
    await until(() => s.seen.length === 1, 5000, 'first submit_sm');
    const done = s.session.unbind(); // waits for the answer owed to seq 2
    s.peer.write(submitBytes(3, 'during the drain'));
    expect(await s.peer.nth(2)).toMatchObject({
      command: 'submit_sm_resp',
      sequence_number: 3,
      command_status: CommandStatus.ESME_RINVBNDSTS,
    });
    s.session.respond(s.seen[0], { message_id: 'm2' });
    expect(await s.peer.nth(3)).toMatchObject({ command: 'submit_sm_resp', sequence_number: 2, command_status: 0 });
    const unbind = await s.peer.nth(4);
    expect(unbind.command).toBe('unbind');
    s.peer.write(submitBytes(4, 'after our unbind'));
    expect(await s.peer.nth(5)).toMatchObject({
      command: 'submit_sm_resp',
      sequence_number: 4,
      command_status: CommandStatus.ESME_RINVBNDSTS,
    });
    s.peer.send({ command: 'unbind_resp', command_status: 0, sequence_number: unbind.sequence_number });
    await done;
    expect(s.seen).toHaveLength(1);
    expect(s.session.stats.refusedUnbinding).toBe(2);
  });
});
