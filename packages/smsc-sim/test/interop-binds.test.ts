// The simulator's binds and accounts, driven over real sockets by the npm `smpp` package (an ESME nobody here wrote).
import { describe, expect, it } from 'vitest';
import type { SmscHandle } from '../src/index.js';
import { useInteropSim } from './interop-sim.js';
import { connectPeer, status } from './smpp-peer.js';

let smsc: SmscHandle;
const { peers, bound } = useInteropSim((s) => {
  smsc = s;
});

describe('binds and accounts', () => {
  it('refuses a wrong password, an unknown system_id, a forbidden bind type, too many binds, and a second bind', async () => {
    const p = await connectPeer(smsc.port);
    peers.push(p);
    expect((await p.call('bind_transceiver', { system_id: 'acme', password: 'nope' })).command_status).toBe(
      status.ESME_RINVPASWD,
    );
    expect((await p.call('bind_transceiver', { system_id: 'nobody', password: 'x' })).command_status).toBe(
      status.ESME_RINVSYSID,
    );
    expect((await p.call('bind_transmitter', { system_id: 'rxonly', password: 'pw' })).command_status).toBe(
      status.ESME_RBINDFAIL,
    );
    expect((await p.call('bind_transceiver', { system_id: 'pinned', password: 'pw' })).command_status).toBe(0);
    expect((await p.call('bind_transceiver', { system_id: 'pinned', password: 'pw' })).command_status).toBe(
      status.ESME_RALYBND,
    );
    const q = await connectPeer(smsc.port);
    peers.push(q);
    expect((await q.call('bind_transmitter', { system_id: 'pinned', password: 'pw' })).command_status).toBe(
      status.ESME_RBINDFAIL,
    );
    expect(smsc.sessions().filter((s) => s.systemId === 'pinned')).toHaveLength(1);
  });

  it('refuses a source address the account may not use', async () => {
    const q = await bound('transmitter', 'pinned', 'pw');
    expect(
      (await q.call('submit_sm', { source_addr: 'OTHER', destination_addr: '4479000001', short_message: 'x' }))
        .command_status,
    ).toBe(status.ESME_RINVSRCADR);
    expect(
      (await q.call('submit_sm', { source_addr: '4479123', destination_addr: '4479000001', short_message: 'x' }))
        .command_status,
    ).toBe(0);
  });
});

describe('a v3.3 peer', () => {
  it('gets no TLVs: a bind_resp without sc_interface_version, receipts as text only', async () => {
    const p = await connectPeer(smsc.port);
    peers.push(p);
    const b = await p.call('bind_transceiver', { system_id: 'acme', password: 'secret1', interface_version: 0x33 });
    expect(b.command_status).toBe(0);
    expect(b.sc_interface_version).toBeUndefined();
    const r = await p.call('submit_sm', {
      source_addr: '12345',
      destination_addr: '4479000003',
      short_message: 'old peer',
      registered_delivery: 1,
    });
    const dr = await p.next('deliver_sm');
    expect(dr.receipted_message_id).toBeUndefined();
    expect(dr.message_state).toBeUndefined();
    expect(dr.short_message.message).toContain(`id:${r.message_id} `);
  });
});

describe('sc_interface_version in bind_resp', () => {
  it('names the version both sides speak: 0x34 to a v3.4 bind, 0x50 to a v5.0 bind', async () => {
    for (const [asked, answered] of [
      [0x34, 0x34],
      [0x50, 0x50],
    ] as const) {
      const p = await connectPeer(smsc.port);
      peers.push(p);
      const b = await p.call('bind_transceiver', { system_id: 'acme', password: 'secret1', interface_version: asked });
      expect(b.command_status).toBe(0);
      expect(b.sc_interface_version).toBe(answered);
      await p.call('unbind', {});
    }
  });
});
