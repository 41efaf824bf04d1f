// query_sm, cancel_sm, replace_sm and replace_if_present_flag, driven by the npm `smpp` package.
import { describe, expect, it } from 'vitest';
import type { SmscHandle } from '../src/index.js';
import { useInteropSim } from './interop-sim.js';
import { status } from './smpp-peer.js';

let smsc: SmscHandle;
const { bound } = useInteropSim((s) => {
  smsc = s;
});

describe('query, cancel, replace', () => {
  it('queries, replaces and cancels a pending message', async () => {
    const p = await bound('transmitter', 'acme', 'secret1');
    const r = await p.call('submit_sm', {
      source_addr: '12345',
      destination_addr: '4478000001',
      short_message: 'first text',
      registered_delivery: 0,
    });
    let q = await p.call('query_sm', { message_id: r.message_id, source_addr: '12345' });
    expect(q).toMatchObject({ command_status: 0, message_id: r.message_id, message_state: 1 });
    const rep = await p.call('replace_sm', {
      message_id: r.message_id,
      source_addr: '12345',
      short_message: 'second text',
    });
    expect(rep.command_status).toBe(0);
    expect(smsc.message(r.message_id)!.text).toBe('second text');
    expect(
      (await p.call('cancel_sm', { message_id: r.message_id, source_addr: '12345', destination_addr: '4478000001' }))
        .command_status,
    ).toBe(0);
    q = await p.call('query_sm', { message_id: r.message_id, source_addr: '12345' });
    expect(q.message_state).toBe(4);
    expect((await p.call('cancel_sm', { message_id: r.message_id, source_addr: '12345' })).command_status).toBe(
      status.ESME_RCANCELFAIL,
    );
    expect(
      (await p.call('replace_sm', { message_id: r.message_id, source_addr: '12345', short_message: 'late' }))
        .command_status,
    ).toBe(status.ESME_RREPLACEFAIL);
    expect((await p.call('query_sm', { message_id: 'ffffff', source_addr: '12345' })).command_status).toBe(
      status.ESME_RQUERYFAIL,
    );
  });

  it('replaces a pending message on submit with replace_if_present_flag', async () => {
    const p = await bound('transmitter', 'acme', 'secret1');
    const a = await p.call('submit_sm', { source_addr: '555', destination_addr: '4478000002', short_message: 'v1' });
    const b = await p.call('submit_sm', {
      source_addr: '555',
      destination_addr: '4478000002',
      short_message: 'v2',
      replace_if_present_flag: 1,
    });
    expect(b.message_id).toBe(a.message_id);
    const all = smsc.messages({ to: '4478000002' });
    expect(all).toHaveLength(1);
    expect(all[0].text).toBe('v2');
  });
});
