// The Session API's types: what callers write compiles without casts, what is wrong does not. Checked by the
// type-check of the tests (tsc -p tsconfig.test.json, run by `npm test`): a `@ts-expect-error` line that stops
// being an error fails it.
import { describe, expectTypeOf, it } from 'vitest';
import type { Pdu, PduOf, RequestPdu, Session, SessionEvents } from '../src/index.js';

// never called: only compiled
function typed(s: Session, deliver: PduOf<'deliver_sm'>, any: RequestPdu, loose: Pdu): void {
  s.respond(deliver);
  s.respond(deliver, { message_id: '' });
  s.respond(deliver, { command_status: 0x45 });
  s.respond(deliver, { command: 'generic_nack', command_status: 0x03 });
  // @ts-expect-error a submit_sm_resp does not answer a deliver_sm
  s.respond(deliver, { command: 'submit_sm_resp' });
  // @ts-expect-error message_id is a string
  s.respond(deliver, { message_id: 5 });
  // an event's RequestPdu, narrowed or not
  s.respond(any, { command_status: 0x03 });
  if (any.command === 'submit_sm') s.respond(any, { message_id: 'a1' });
  // a PDU typed only as Pdu (a simulator's own records): any response's fields
  s.respond(loose, { command_status: 0x08 });
  // @ts-expect-error command_status is a number
  s.respond(loose, { command_status: '8' });

  void s.request({ command: 'submit_sm', destination_addr: '4790000001', short_message: Buffer.from('hi') });
  const body: Omit<PduOf<'deliver_sm'>, 'sequence_number'> = { ...deliver };
  void s.request(body);
  // @ts-expect-error destination_addr is a string
  void s.request({ command: 'submit_sm', destination_addr: 4790000001 });
  // @ts-expect-error a response is not a request
  void s.request({ command: 'submit_sm_resp' });

  s.send({ command: 'outbind', system_id: 'a', password: 'b' });
  // @ts-expect-error outbind has no field esm_class
  s.send({ command: 'outbind', esm_class: 0 });
}

describe('Session API types', () => {
  it('request() resolves with the response of its command or a generic_nack', () => {
    type R = Awaited<ReturnType<typeof submit>>;
    const submit = (s: Session) => s.request({ command: 'submit_sm' });
    expectTypeOf<R>().toEqualTypeOf<PduOf<'submit_sm_resp'> | PduOf<'generic_nack'>>();
    expectTypeOf<R['command']>().toEqualTypeOf<'submit_sm_resp' | 'generic_nack'>();
    expectTypeOf(typed).toBeFunction();
  });

  it("the 'request' event hands a RequestPdu", () => {
    expectTypeOf<SessionEvents['request'][0]>().toEqualTypeOf<RequestPdu>();
    expectTypeOf<SessionEvents['request'][1]>().toEqualTypeOf<Buffer>();
  });
});
