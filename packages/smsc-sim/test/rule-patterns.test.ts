// Rule patterns run on RE2 (config/pattern.ts): a pattern that makes a backtracking engine take exponential time
// cannot stall the simulator, and a pattern RE2 cannot run is a config error naming the rule and the pattern.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig, validateRules } from '../src/config/index.js';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { boundPeer, type Peer } from './smpp-peer.js';

let smsc: SmscHandle;
let peer: Peer;

const submit = (text: string) =>
  new Promise<{ command_status: number }>((res) =>
    peer.session.submit_sm(
      { source_addr: '12345', destination_addr: '4479001', registered_delivery: 0, short_message: text },
      res,
    ),
  );

beforeAll(async () => {
  smsc = await startSmsc({
    port: 0,
    httpPort: 0,
    store: 'memory',
    logLevel: 'silent',
    defaultDelayMs: 10,
    accounts: [{ systemId: 'acme', password: 'pw', sourceAddresses: ['/^123/'] }],
    rules: [
      { name: 'all a', match: { text: '/^(a+)+$/' }, response: { status: 0x45 } },
      { name: 'by regex', match: { destinationRegex: '^(4+)+$' }, response: { status: 0x0b } },
    ],
  });
  peer = await boundPeer(smsc.port, 'transceiver', 'acme', 'pw');
});

afterAll(async () => {
  peer.close();
  await smsc.close();
});

describe('rule patterns', () => {
  it('match in linear time: /^(a+)+$/ on 40 characters does not stall SMPP or HTTP', async () => {
    const started = Date.now();
    // 'a' × 40 then a character that fails the match: a backtracking engine tries 2^40 splits
    const [stalling, health, second] = await Promise.all([
      submit(`${'a'.repeat(40)}!`),
      fetch(`http://127.0.0.1:${smsc.httpPort}/api/health`).then((r) => r.status),
      submit('hello'),
    ]);
    expect(stalling.command_status).toBe(0);
    expect(health).toBe(200);
    expect(second.command_status).toBe(0);
    // liveness, not speed: the stall this guards against lasted 5 s at 28 characters and doubles per character
    // (~6 hours at 40); the bound leaves a loaded machine room (it was 2 s at 28 characters)
    expect(Date.now() - started).toBeLessThan(10_000);
    // and the rule still decides what it matches
    expect((await submit('a'.repeat(60))).command_status).toBe(0x45);
  });

  it('reports a pattern RE2 cannot run as a config error naming the rule and the pattern', () => {
    const r = validateRules([{ name: 'echo', match: { text: '/(ab)\\1/' }, response: { status: 0x45 } }]);
    expect(r).toEqual({ errors: [expect.stringContaining('rules[0].match.text: "/(ab)\\\\1/" is not a valid regex')] });
    const [e] = (r as { errors: string[] }).errors;
    expect(e).toMatch(/invalid escape sequence.*no backreferences.*\(rule "echo"\)$/);
    expect(() => validateConfig({ rules: [{ match: { destinationRegex: '^44(?=7)' } }] })).toThrow(
      /rules\[0\]\.match\.destinationRegex: "\^44\(\?=7\)" is not a valid regex: invalid or unsupported Perl syntax/,
    );
    expect(() => validateConfig({ accounts: [{ systemId: 'a', password: 'p', numbers: ['/(?<=1)2/'] }] })).toThrow(
      /accounts\[0\]\.numbers\[0\]: "\/\(\?<=1\)2\/" is not a valid regex/,
    );
  });
});
