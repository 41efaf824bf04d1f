// GET /api/messages/:id when an id reads two ways: the id an ESME was given wins over a row number written the same
// ("65" is hex message 0x65, not row 65), and an id two accounts were both given (one writes ids in hex, the other
// in decimal) is a 409 naming both until ?systemId= says which.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { boundPeer, type Peer } from './smpp-peer.js';

let smsc: SmscHandle;
let hex: Peer;
let dec: Peer;

const get = async (path: string) => {
  const res = await fetch(`http://127.0.0.1:${smsc.httpPort}${path}`);
  return { status: res.status, json: (await res.json()) as any };
};
const submit = (peer: Peer, text: string) =>
  new Promise<string>((resolve) =>
    peer.session.submit_sm({ source_addr: '12345', destination_addr: '4470000001', short_message: text }, (r: any) =>
      resolve(r.message_id),
    ),
  );

beforeAll(async () => {
  smsc = await startSmsc({
    port: 0,
    httpPort: 0,
    store: 'memory',
    logLevel: 'silent',
    accounts: [
      { systemId: 'hexacc', password: 'pw', receipt: { idFormat: 'hex' } },
      { systemId: 'decacc', password: 'pw', receipt: { idFormat: 'decimal' } },
    ],
  });
  hex = await boundPeer(smsc.port, 'transceiver', 'hexacc', 'pw');
  dec = await boundPeer(smsc.port, 'transceiver', 'decacc', 'pw');
});
afterAll(async () => {
  hex.close();
  dec.close();
  await smsc.close();
});

describe('GET /api/messages/:id', () => {
  it('the id an ESME was given wins over a row number that reads the same; 409 when two accounts were given it', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 101; i++) ids.push(await submit(hex, `h${i}`)); // rows 1..101, ids 1..65 in hex
    expect(ids[100]).toBe('65');
    const one = await get('/api/messages/65');
    expect(one.status).toBe(200);
    expect(one.json.text).toBe('h101'); // not row 65 ("h65", id "41")
    expect(one.json.messageIds).toEqual(['65']);
    // a number no ESME was given: the row number
    expect((await get('/api/messages/101')).json.text).toBe('h101');
    // rows are shared by the accounts: decacc's row 102 is "102", and hexacc's row 258 is 0x102, "102" too
    const decId = await submit(dec, 'd102'); // row 102, id "102"
    expect(decId).toBe('102');
    for (let i = 103; i <= 258; i++) await submit(hex, `h${i}`); // row 258 = 0x102 for hexacc
    const both = await get('/api/messages/102');
    expect(both.status).toBe(409);
    expect(both.json).toMatchObject({ field: 'systemId' });
    expect(both.json.error).toMatch(/hexacc/);
    expect(both.json.error).toMatch(/decacc/);
    expect((await get('/api/messages/102?systemId=decacc')).json.text).toBe('d102');
    expect((await get('/api/messages/102?systemId=hexacc')).json.text).toBe('h258');
    expect((await get('/api/messages/102?systemId=nobody')).status).toBe(404);
  });
});
