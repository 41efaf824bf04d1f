// An account's TPS and window, driven by the npm `smpp` package.
import { describe, expect, it } from 'vitest';
import type { SmscHandle } from '../src/index.js';
import { useInteropSim } from './interop-sim.js';
import { status } from './smpp-peer.js';

let _smsc: SmscHandle;
const { bound } = useInteropSim((s) => {
  _smsc = s;
});

describe('carrier limits', () => {
  it('throttles an account over its TPS with ESME_RTHROTTLED', async () => {
    const p = await bound('transmitter', 'slow', 'pw');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        p.call('submit_sm', { source_addr: '1', destination_addr: `44790000${i}`, short_message: 'x' }),
      ),
    );
    const codes = results.map((r) => r.command_status);
    expect(codes.filter((c) => c === 0).length).toBeGreaterThanOrEqual(5);
    expect(codes.filter((c) => c === status.ESME_RTHROTTLED).length).toBeGreaterThan(5);
  });

  it('answers requests beyond the window with ESME_RMSGQFUL', async () => {
    const p = await bound('transmitter', 'narrow', 'pw');
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        p.call('submit_sm', { source_addr: '1', destination_addr: '4479000001', short_message: 'x' }),
      ),
    );
    const codes = results.map((r) => r.command_status);
    expect(codes.filter((c) => c === 0)).toHaveLength(2);
    expect(codes.filter((c) => c === status.ESME_RMSGQFUL)).toHaveLength(3);
  });
});
