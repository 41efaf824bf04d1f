// The simulator the npm `smpp` package's tests drive (interop-*.test.ts): the same accounts and rules for each,
// one simulator per file, ESMEs closed after each test.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type SmscHandle, type StartOptions, startSmsc } from '../src/index.js';
import { boundPeer, type Peer } from './smpp-peer.js';

export const INTEROP_OPTIONS: StartOptions = {
  port: 0,
  store: 'memory',
  seed: 7,
  logLevel: 'silent',
  defaultDelayMs: 20,
  accounts: [
    { systemId: 'acme', password: 'secret1', maxBinds: 3, numbers: ['4470000*'] },
    {
      systemId: 'globex',
      password: 'secret2',
      numbers: ['/^4471\\d+$/'],
      receipt: { idFormat: 'decimal', receiptIdFormat: 'hex', dateDigits: 12, content: 'text', lowerCaseKeys: true },
    },
    { systemId: 'slow', password: 'pw', tps: 5 },
    { systemId: 'narrow', password: 'pw', window: 2 },
    { systemId: 'rxonly', password: 'pw', bindTypes: ['receiver'] },
    { systemId: 'pinned', password: 'pw', maxBinds: 1, sourceAddresses: ['PINNED', '4479*'] },
  ],
  rules: [
    {
      name: 'unknown-subscriber',
      match: { destination: '4479999' },
      outcome: { state: 'UNDELIVERABLE', err: 11, delayMs: 10 },
    },
    { name: 'parked', match: { destination: '4478' }, outcome: { state: 'DELIVERED', delayMs: 60_000 } },
    { name: 'slow-ack', match: { systemId: 'narrow' }, response: { delayMs: 400 } },
  ],
};

type BindAs = 'transceiver' | 'transmitter' | 'receiver';

/** Starts the simulator before the file's tests (handing it to `set`), closes each test's ESMEs, stops it after. */
export function useInteropSim(set: (s: SmscHandle) => void): {
  peers: Peer[];
  bound(type: BindAs, systemId: string, password: string, opts?: { answerDeliver?: number | null }): Promise<Peer>;
} {
  let smsc: SmscHandle;
  const peers: Peer[] = [];
  beforeAll(async () => {
    smsc = await startSmsc(INTEROP_OPTIONS);
    set(smsc);
  });
  /** Closes this test's ESMEs and waits until the simulator has let go of their binds. */
  afterEach(async () => {
    for (const p of peers.splice(0)) p.close();
    for (let i = 0; i < 200 && smsc.sessions().length > 0; i++) await new Promise((r) => setTimeout(r, 10));
  });
  afterAll(async () => {
    await smsc.close();
  });
  return {
    peers,
    bound: async (type, systemId, password, opts) => {
      const p = await boundPeer(smsc.port, type, systemId, password, opts);
      peers.push(p);
      return p;
    },
  };
}
