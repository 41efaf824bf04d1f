// Property: whatever sequence of requests a peer sends, in whatever state, the session lets through to the
// application only what the state table allows, and every request that expects an answer gets exactly one.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePdu, mayReceive, type Pdu, type SessionRole, type SessionState } from '../src/index.js';
import { sessionWithRawPeer } from './session-helpers.js';

// requests a peer might send (unbind excluded: an accepted one ends the session; broadcast_* need TLVs)
const COMMANDS = [
  'bind_transmitter',
  'bind_receiver',
  'bind_transceiver',
  'outbind',
  'submit_sm',
  'submit_multi',
  'deliver_sm',
  'data_sm',
  'query_sm',
  'cancel_sm',
  'replace_sm',
  'enquire_link',
  'alert_notification',
] as const;
const NO_RESPONSE = new Set<string>(['outbind', 'alert_notification']);

async function run(role: SessionRole, commands: readonly string[]) {
  const s = await sessionWithRawPeer({ role });
  try {
    const violations: string[] = [];
    let prevState: SessionState = 'OPEN';
    s.session.on('state', (_state, prev) => (prevState = prev));
    s.session.on('request', (pdu) => {
      // an accepted outbind moves the session to OUTBOUND before the application sees it: judge it by the state before
      const state = pdu.command === 'outbind' ? prevState : s.session.state;
      if (!mayReceive(role, state, pdu.command)) violations.push(`${pdu.command} in ${state}`);
      if (!NO_RESPONSE.has(pdu.command)) s.session.respond(pdu);
    });
    // an ESME given an outbind would normally bind; here it just stays OUTBOUND
    const chunks = commands.map((command, i) =>
      encodePdu({
        command,
        command_status: 0,
        sequence_number: i + 1,
        ...(command === 'submit_multi'
          ? { dest_address: [{ dest_flag: 1, dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '1' }] }
          : {}),
      } as Pdu),
    );
    const sentinel = commands.length + 1;
    chunks.push(encodePdu({ command: 'enquire_link', command_status: 0, sequence_number: sentinel }));
    s.peer.write(Buffer.concat(chunks));
    // answers come in order: once the sentinel's answer is in, every other answer is too
    for (let n = 1; ; n++) {
      const answer = await s.peer.nth(n);
      if (answer.sequence_number === sentinel) break;
    }
    const answers = new Map<number, string[]>();
    for (const a of s.peer.received)
      answers.set(a.sequence_number, [...(answers.get(a.sequence_number) ?? []), a.command]);
    commands.forEach((command, i) => {
      const got = answers.get(i + 1) ?? [];
      if (NO_RESPONSE.has(command))
        expect(got.length === 0 || (got.length === 1 && got[0] === 'generic_nack')).toBe(true);
      else {
        expect(got).toHaveLength(1);
        expect([`${command}_resp`, 'generic_nack']).toContain(got[0]);
      }
    });
    expect(violations).toEqual([]);
    expect(s.session.state).not.toBe('CLOSED');
  } finally {
    await s.close();
  }
}

describe('session under random request sequences', () => {
  for (const role of ['mc', 'esme'] as const) {
    it(`${role}: only allowed PDUs reach the application, every request is answered exactly once`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.constantFrom(...COMMANDS), { minLength: 1, maxLength: 30 }), (commands) =>
          run(role, commands),
        ),
        { numRuns: 100 },
      );
    });
  }
});
