import { describe, expect, it } from 'vitest';
import { mayReceive, maySend, refusalStatus, SEND_RULES, type SessionState } from '../src/session/index.js';

const ALL: SessionState[] = ['OPEN', 'BOUND_TX', 'BOUND_RX', 'BOUND_TRX', 'UNBOUND', 'CLOSED', 'OUTBOUND'];

describe('state table (v5.0 Table 2-1)', () => {
  it('lets an ESME bind only from OPEN or OUTBOUND, never an MC', () => {
    for (const s of ALL) {
      expect(maySend('esme', s, 'bind_transceiver')).toBe(s === 'OPEN' || s === 'OUTBOUND');
      expect(maySend('mc', s, 'bind_transceiver')).toBe(false);
    }
  });

  it('submit_sm only from an ESME bound TX or TRX; deliver_sm only from an MC bound RX or TRX', () => {
    for (const s of ALL) {
      expect(maySend('esme', s, 'submit_sm')).toBe(s === 'BOUND_TX' || s === 'BOUND_TRX');
      expect(maySend('mc', s, 'submit_sm')).toBe(false);
      expect(maySend('mc', s, 'deliver_sm')).toBe(s === 'BOUND_RX' || s === 'BOUND_TRX');
      expect(maySend('esme', s, 'deliver_sm')).toBe(false);
    }
  });

  it('data_sm flows both ways with direction-specific states', () => {
    expect(maySend('esme', 'BOUND_TX', 'data_sm')).toBe(true);
    expect(maySend('esme', 'BOUND_RX', 'data_sm')).toBe(false);
    expect(maySend('mc', 'BOUND_RX', 'data_sm')).toBe(true);
    expect(maySend('mc', 'BOUND_TX', 'data_sm')).toBe(false);
    expect(maySend('esme', 'BOUND_RX', 'data_sm_resp')).toBe(true);
    expect(maySend('mc', 'BOUND_TX', 'data_sm_resp')).toBe(true);
  });

  it('enquire_link in every connected state, nothing in CLOSED', () => {
    for (const s of ALL) {
      expect(maySend('esme', s, 'enquire_link')).toBe(s !== 'CLOSED');
      expect(maySend('mc', s, 'enquire_link_resp')).toBe(s !== 'CLOSED');
    }
    for (const command of Object.keys(SEND_RULES)) {
      expect(maySend('esme', 'CLOSED', command)).toBe(false);
      expect(maySend('mc', 'CLOSED', command)).toBe(false);
    }
  });

  it('what one role may receive is what the other may send', () => {
    for (const command of Object.keys(SEND_RULES)) {
      for (const s of ALL) {
        expect(mayReceive('mc', s, command)).toBe(maySend('esme', s, command));
        expect(mayReceive('esme', s, command)).toBe(maySend('mc', s, command));
      }
    }
  });

  it('every request has a response rule that is the mirror image (responder = receiver of the request)', () => {
    for (const [command, rule] of Object.entries(SEND_RULES)) {
      const resp = (SEND_RULES as Record<string, { esme: readonly string[]; mc: readonly string[] }>)[
        `${command}_resp`
      ];
      if (resp === undefined) continue;
      // who answers is who was allowed to receive it
      if (rule.esme.length > 0 && command !== 'data_sm') expect(resp.mc.length).toBeGreaterThan(0);
      if (rule.mc.length > 0 && command !== 'data_sm') expect(resp.esme.length).toBeGreaterThan(0);
    }
  });

  it('refuses with the right status: RINVBNDSTS for wrong state, RINVCMDID for wrong direction, RALYBND for a second bind', () => {
    expect(refusalStatus('mc', 'OPEN', 'submit_sm')).toBe(0x04);
    expect(refusalStatus('mc', 'BOUND_RX', 'submit_sm')).toBe(0x04);
    expect(refusalStatus('mc', 'BOUND_TX', 'submit_sm')).toBe(0);
    expect(refusalStatus('mc', 'BOUND_TRX', 'deliver_sm')).toBe(0x03);
    expect(refusalStatus('esme', 'BOUND_TRX', 'submit_sm')).toBe(0x03);
    expect(refusalStatus('esme', 'OPEN', 'bind_transmitter')).toBe(0x03);
    expect(refusalStatus('mc', 'BOUND_TRX', 'bind_transceiver')).toBe(0x05);
    expect(refusalStatus('mc', 'OPEN', 'bind_transceiver')).toBe(0);
    expect(refusalStatus('esme', 'OPEN', 'outbind')).toBe(0);
    expect(refusalStatus('esme', 'BOUND_TRX', 'outbind')).toBe(0x04);
    expect(refusalStatus('mc', 'OPEN', 'outbind')).toBe(0x03);
    expect(refusalStatus('esme', 'BOUND_TX', 'deliver_sm')).toBe(0x04);
    expect(refusalStatus('mc', 'OPEN', 'unbind')).toBe(0x04);
  });
});
