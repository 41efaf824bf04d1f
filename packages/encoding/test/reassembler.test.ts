import { describe, expect, it } from 'vitest';
import { buildUdh, type DroppedMessage, type ReassembledMessage, Reassembler, splitMessage } from '../src/index.js';

function parts(text: string, opts: Parameters<typeof splitMessage>[1] = {}) {
  const s = splitMessage(text, { reference: 77, ...opts });
  return s.parts.map((p) => ({
    source: '447700900001',
    destination: '1234',
    dataCoding: s.dataCoding,
    shortMessage: p.shortMessage,
    udhi: s.udhi,
    ...(p.sar ? { sar: p.sar } : {}),
  }));
}

function clock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('Reassembler', () => {
  const long = 'The quick brown fox jumps over the lazy dog. '.repeat(8);

  it('reassembles parts given in any order', () => {
    const r = new Reassembler();
    const ps = parts(long);
    expect(ps.length).toBe(3);
    const got: ReassembledMessage[] = [];
    r.on('message', (m) => got.push(m));
    expect(r.push(ps[2])).toBeUndefined();
    expect(r.push(ps[0])).toBeUndefined();
    const m = r.push(ps[1]);
    expect(m).toMatchObject({
      text: long,
      complete: true,
      total: 3,
      received: [1, 2, 3],
      missing: [],
      concatenation: 'udh8',
      reference: 77,
    });
    expect(got).toHaveLength(1);
    expect(r.size).toBe(0);
  });

  it('ignores duplicates', () => {
    const r = new Reassembler();
    const ps = parts(long);
    r.push(ps[0]);
    expect(r.push(ps[0])).toBeUndefined();
    r.push(ps[1]);
    expect(r.push(ps[1])).toBeUndefined();
    expect(r.push(ps[2])?.text).toBe(long);
  });

  it('keeps interleaved messages apart by originator, recipient and reference', () => {
    const r = new Reassembler();
    const a = parts(long, { reference: 1 });
    const b = parts(long.toUpperCase(), { reference: 2 });
    const c = parts(long.replace(/o/g, '0'), { reference: 1 }).map((p) => ({ ...p, source: 'other' }));
    const done: string[] = [];
    r.on('message', (m) => done.push(m.text));
    for (let i = 0; i < 3; i++) {
      r.push(a[i]);
      r.push(c[2 - i]);
      r.push(b[i]);
    }
    expect(done.sort()).toEqual([long, long.toUpperCase(), long.replace(/o/g, '0')].sort());
  });

  it('reassembles 16-bit references, SAR and UCS-2 with an emoji on the boundary', () => {
    const text = 'x'.repeat(66) + '😀' + 'y'.repeat(70);
    for (const mode of ['udh16', 'sar'] as const) {
      const r = new Reassembler();
      const ps = parts(text, { mode });
      let m: ReassembledMessage | undefined;
      for (const p of ps.reverse()) m = r.push(p) ?? m;
      expect(m).toMatchObject({ text, concatenation: mode, complete: true });
    }
  });

  it('reassembles packed GSM and national language text', () => {
    const text = 'Şimdi ılık ve güzel bir gün. '.repeat(8);
    const r = new Reassembler({ gsmPacking: 'packed' });
    const ps = parts(text, { gsmPacking: 'packed', nationalLanguages: [1] });
    expect(ps.length).toBeGreaterThan(1);
    let m: ReassembledMessage | undefined;
    for (const p of ps) m = r.push(p) ?? m;
    expect(m?.text).toBe(text);
    expect(m?.nationalLanguage).toEqual({ locking: 1 });
  });

  it('passes a message without concatenation straight through', () => {
    const r = new Reassembler();
    expect(r.push({ source: 'a', destination: 'b', dataCoding: 0, shortMessage: Buffer.from('hi') })).toMatchObject({
      text: 'hi',
      complete: true,
      total: 1,
      concatenation: 'none',
    });
    // a concatenation element claiming part 3 of 2 cannot be honoured: delivered as it stands
    const bad = Buffer.concat([
      buildUdh([{ type: 'unknown', iei: 0, data: Buffer.from([1, 2, 3]) }]),
      Buffer.from('x'),
    ]);
    expect(r.push({ source: 'a', destination: 'b', dataCoding: 0, shortMessage: bad, udhi: true })?.text).toBe('x');
    expect(r.size).toBe(0);
  });

  it('delivers an incomplete message as partial after the timeout', () => {
    const c = clock();
    const r = new Reassembler({ timeoutMs: 5000, now: c.now });
    const ps = parts(long);
    const partial: [ReassembledMessage, string][] = [];
    r.on('partial', (m, why) => partial.push([m, why]));
    r.push(ps[0]);
    r.push(ps[2]);
    c.advance(4999);
    expect(r.sweep()).toBe(0);
    c.advance(1);
    expect(r.sweep()).toBe(1);
    expect(partial).toHaveLength(1);
    expect(partial[0][1]).toBe('timeout');
    expect(partial[0][0]).toMatchObject({ complete: false, received: [1, 3], missing: [2] });
    expect(long.startsWith(partial[0][0].text.slice(0, 153))).toBe(true);
    expect(r.size).toBe(0);
  });

  it('drops an incomplete message after the timeout when so configured, with an event', () => {
    const c = clock();
    const r = new Reassembler({ timeoutMs: 100, onTimeout: 'drop', now: c.now });
    const dropped: DroppedMessage[] = [];
    r.on('dropped', (d) => dropped.push(d));
    r.on('partial', () => expect.fail('no partial when dropping'));
    r.push(parts(long)[1]);
    c.advance(100);
    r.sweep();
    expect(dropped).toEqual([
      { source: '447700900001', destination: '1234', reference: 77, total: 3, received: [2], reason: 'timeout' },
    ]);
  });

  it('holds at most maxPending incomplete messages: a flood of first parts cannot exhaust memory', () => {
    const r = new Reassembler({ maxPending: 100, onTimeout: 'drop' });
    let dropped = 0;
    r.on('dropped', (d) => {
      expect(d.reason).toBe('overflow');
      dropped++;
    });
    for (let ref = 0; ref < 1000; ref++) {
      const first = parts(long, { reference: ref % 256, mode: 'udh16' })[0];
      const udh = buildUdh([{ type: 'concat', referenceBits: 16, reference: ref, total: 3, sequence: 1 }]);
      r.push({ ...first, shortMessage: Buffer.concat([udh, first.shortMessage.subarray(7)]) });
      expect(r.size).toBeLessThanOrEqual(100);
    }
    expect(dropped).toBe(900);
  });

  it('bounds the user data held across incomplete messages', () => {
    const r = new Reassembler({ maxBufferedBytes: 1000, onTimeout: 'drop' });
    const dropped: DroppedMessage[] = [];
    r.on('dropped', (d) => dropped.push(d));
    for (let ref = 0; ref < 20; ref++) r.push(parts(long, { reference: ref })[0]); // 153 octets each
    expect(r.size).toBe(6);
    expect(dropped.map((d) => d.reference)).toEqual([...Array(14).keys()]);
    expect(dropped.every((d) => d.reason === 'overflow')).toBe(true);
  });

  it('bounds incomplete messages per originator', () => {
    const r = new Reassembler({ maxPendingPerSource: 2 });
    const evicted: string[] = [];
    r.on('partial', (m, why) => evicted.push(`${m.source}:${m.reference}:${why}`));
    for (const ref of [1, 2, 3]) r.push(parts(long, { reference: ref })[0]);
    r.push({ ...parts(long, { reference: 9 })[0], source: 'someone-else' });
    expect(evicted).toEqual(['447700900001:1:overflow']);
    expect(r.size).toBe(3);
  });

  it('sweeps on its own coarse timer once started', async () => {
    const r = new Reassembler({ timeoutMs: 20 });
    const done = new Promise<ReassembledMessage>((resolve) => r.on('partial', (m) => resolve(m)));
    r.push(parts(long)[0]);
    r.start(10);
    const m = await done;
    r.stop();
    expect(m.missing).toEqual([2, 3]);
  });
});
