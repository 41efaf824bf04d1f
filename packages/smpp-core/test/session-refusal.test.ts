// The decisions the session takes on its own (session/refusal.ts), as tables: input in, answer out.
import { describe, expect, it } from 'vitest';
import { type CommandName, CommandStatus as S, SmppDecodeError } from '../src/index.js';
import { decodeErrorAction, refusalOf, type SessionRole, type SessionState } from '../src/session/index.js';

type Row = [SessionRole, SessionState, CommandName, boolean, CommandName | null, number];

// role, state, command received, bind pending → answered with (null: reaches the application), status
const REQUESTS: Row[] = [
  ['mc', 'OPEN', 'bind_transmitter', false, null, 0],
  ['mc', 'OPEN', 'bind_transmitter', true, 'bind_transmitter_resp', S.ESME_RINVBNDSTS], // one bind at a time
  ['mc', 'BOUND_TX', 'bind_receiver', false, 'bind_receiver_resp', S.ESME_RALYBND],
  ['mc', 'BOUND_TX', 'bind_transceiver', true, 'bind_transceiver_resp', S.ESME_RALYBND],
  ['mc', 'OUTBOUND', 'bind_receiver', false, null, 0],
  ['mc', 'OPEN', 'submit_sm', false, 'submit_sm_resp', S.ESME_RINVBNDSTS],
  ['mc', 'BOUND_TX', 'submit_sm', false, null, 0],
  ['mc', 'BOUND_TRX', 'submit_multi', false, null, 0],
  ['mc', 'BOUND_RX', 'submit_sm', false, 'submit_sm_resp', S.ESME_RINVBNDSTS],
  ['mc', 'BOUND_RX', 'query_sm', false, 'query_sm_resp', S.ESME_RINVBNDSTS],
  ['mc', 'BOUND_TRX', 'deliver_sm', false, 'generic_nack', S.ESME_RINVCMDID], // wrong direction
  ['mc', 'BOUND_TRX', 'outbind', false, 'generic_nack', S.ESME_RINVCMDID],
  ['mc', 'BOUND_TRX', 'data_sm', false, null, 0],
  ['mc', 'BOUND_RX', 'data_sm', false, 'data_sm_resp', S.ESME_RINVBNDSTS],
  ['mc', 'OPEN', 'unbind', false, 'unbind_resp', S.ESME_RINVBNDSTS],
  ['mc', 'BOUND_TX', 'unbind', false, null, 0],
  ['mc', 'OPEN', 'enquire_link', false, null, 0],
  ['mc', 'UNBOUND', 'enquire_link', false, null, 0],
  ['esme', 'BOUND_RX', 'deliver_sm', false, null, 0],
  ['esme', 'BOUND_TX', 'deliver_sm', false, 'deliver_sm_resp', S.ESME_RINVBNDSTS],
  ['esme', 'BOUND_TRX', 'submit_sm', false, 'generic_nack', S.ESME_RINVCMDID],
  ['esme', 'OPEN', 'bind_transceiver', false, 'generic_nack', S.ESME_RINVCMDID],
  ['esme', 'OPEN', 'outbind', false, null, 0],
  ['esme', 'BOUND_TRX', 'outbind', false, 'generic_nack', S.ESME_RINVBNDSTS], // outbind has no response
  ['esme', 'BOUND_RX', 'alert_notification', false, null, 0],
  ['esme', 'BOUND_TX', 'alert_notification', false, 'generic_nack', S.ESME_RINVBNDSTS],
  ['esme', 'BOUND_TRX', 'data_sm', false, null, 0],
  ['esme', 'BOUND_TX', 'data_sm', false, 'data_sm_resp', S.ESME_RINVBNDSTS],
  ['esme', 'OUTBOUND', 'enquire_link', false, null, 0],
];

describe('refusalOf: a received request, by role and state', () => {
  it.each(REQUESTS)(
    '%s in %s receives %s (bind pending %s) → %s %d',
    (role, state, command, bindPending, answer, status) => {
      const got = refusalOf(role, state, command, bindPending);
      expect(got).toEqual(answer === null ? undefined : { command: answer, status });
    },
  );
});

type Init = ConstructorParameters<typeof SmppDecodeError>[1];
const err = (fields: Partial<Init> & { commandStatus: number }) =>
  new SmppDecodeError('x', { code: 'BAD_FIELD', fatal: false, ...fields });

describe('decodeErrorAction: a PDU that could not be decoded', () => {
  const cases: Array<[string, SmppDecodeError, ReturnType<typeof decodeErrorAction>]> = [
    [
      "a field of a known request: its _resp with the field's status, session goes on",
      err({ commandId: 0x00000004, sequenceNumber: 3, commandStatus: S.ESME_RINVSRCADR }),
      {
        kind: 'answer',
        answer: { command: 'submit_sm_resp', status: S.ESME_RINVSRCADR },
        sequenceNumber: 3,
        close: false,
      },
    ],
    [
      'an unknown command_id: generic_nack ESME_RINVCMDID',
      err({ commandId: 0x00000099, sequenceNumber: 9, commandStatus: S.ESME_RINVCMDID }),
      {
        kind: 'answer',
        answer: { command: 'generic_nack', status: S.ESME_RINVCMDID },
        sequenceNumber: 9,
        close: false,
      },
    ],
    [
      'a request without a response (outbind): generic_nack',
      err({ commandId: 0x0000000b, sequenceNumber: 4, commandStatus: S.ESME_RINVSYSID }),
      {
        kind: 'answer',
        answer: { command: 'generic_nack', status: S.ESME_RINVSYSID },
        sequenceNumber: 4,
        close: false,
      },
    ],
    [
      'a response: never answered, our request fails',
      err({ commandId: 0x80000004, sequenceNumber: 5, commandStatus: S.ESME_RINVMSGID }),
      { kind: 'fail-request', sequenceNumber: 5, close: false },
    ],
    [
      'broken framing with a header: generic_nack with its sequence number, then close',
      err({ commandId: 0x00000004, sequenceNumber: 7, commandStatus: S.ESME_RINVCMDLEN, fatal: true }),
      {
        kind: 'answer',
        answer: { command: 'generic_nack', status: S.ESME_RINVCMDLEN },
        sequenceNumber: 7,
        close: true,
      },
    ],
    [
      'broken framing in a response: still generic_nack and close (nothing after it can be read)',
      err({ commandId: 0x80000004, sequenceNumber: 8, commandStatus: S.ESME_RINVCMDLEN, fatal: true }),
      {
        kind: 'answer',
        answer: { command: 'generic_nack', status: S.ESME_RINVCMDLEN },
        sequenceNumber: 8,
        close: true,
      },
    ],
    [
      'broken framing before the header could be read: generic_nack sequence 0, close',
      err({ commandStatus: S.ESME_RINVCMDLEN, fatal: true }),
      {
        kind: 'answer',
        answer: { command: 'generic_nack', status: S.ESME_RINVCMDLEN },
        sequenceNumber: 0,
        close: true,
      },
    ],
  ];
  it.each(cases)('%s', (_name, error, action) => {
    expect(decodeErrorAction(error)).toEqual(action);
  });
});
