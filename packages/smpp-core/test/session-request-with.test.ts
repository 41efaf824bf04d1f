// Session.requestWith: request() with a callback (no Promise per request), over loopback sockets.
import { afterEach, describe, expect, it } from 'vitest';
import { encodeWithHeader, ManualClock, type Pdu, SessionError, Window } from '../src/index.js';
import { boundPair, type SessionPair, sessionPair, submit, until } from './session-helpers.js';

let pair: SessionPair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

type Outcome = { err: Error | null; resp?: Pdu };

function answerSubmits(p: SessionPair): void {
  p.mc.on('request', (pdu) => {
    if (pdu.command === 'submit_sm') p.mc.respond(pdu, { message_id: `m${pdu.sequence_number}` });
  });
}

describe('Session.requestWith', () => {
  it('settles each request once with its own response, in the window like request()', async () => {
    pair = await boundPair({ windowSize: 3 });
    answerSubmits(pair);
    const outcomes = new Map<string, Outcome[]>();
    for (let i = 0; i < 50; i++) {
      const text = String(i);
      pair.esme.requestWith(submit(text), (err, resp) => {
        const list = outcomes.get(text) ?? [];
        list.push({ err, resp });
        outcomes.set(text, list);
      });
    }
    await until(() => outcomes.size === 50);
    await new Promise((r) => setTimeout(r, 20)); // nothing settles twice
    for (const [, list] of outcomes) {
      expect(list).toHaveLength(1);
      expect(list[0]!.err).toBeNull();
      expect(list[0]!.resp).toMatchObject({ command: 'submit_sm_resp', command_status: 0 });
    }
    const ids = [...outcomes.values()].map((l) => (l[0]!.resp as { message_id: string }).message_id);
    expect(new Set(ids).size).toBe(50);
    expect(pair.esme.outstanding).toBe(0);
  });

  it('never calls back before it returns, even when the request is refused at once', async () => {
    const p = await sessionPair(); // not bound: submit_sm may not be sent
    pair = p;
    let returned = false;
    let early = false;
    const got = new Promise<Error | null>((resolve) =>
      p.esme.requestWith(submit('x'), (err) => {
        early = !returned;
        resolve(err);
      }),
    );
    returned = true;
    const err = await got;
    expect(early).toBe(false);
    expect(err).toBeInstanceOf(SessionError);
    expect(err).toMatchObject({ code: 'NOT_ALLOWED' });
  });

  it('a callback that throws loses neither the rest of the read nor its window slot', async () => {
    pair = await boundPair({ windowSize: 2 });
    const held: Pdu[] = [];
    let answerNow = false;
    pair.mc.on('request', (pdu) => {
      if (pdu.command !== 'submit_sm') return;
      if (answerNow) pair!.mc.respond(pdu, { message_id: 'later' });
      else held.push(pdu);
    });
    const errors: unknown[] = [];
    pair.esme.on('error', (e) => errors.push(e));
    const settled: string[] = [];
    pair.esme.requestWith(submit('a'), () => {
      settled.push('a');
      throw new Error('application bug');
    });
    pair.esme.requestWith(submit('b'), () => settled.push('b'));
    await until(() => held.length === 2);
    // both answers leave in one write: the second is in the same read as the one whose callback throws
    for (const pdu of held) pair.mc.respond(pdu, { message_id: String(pdu.sequence_number) });
    await until(() => settled.length === 2);
    expect(settled).toEqual(['a', 'b']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['application bug']);
    expect(pair.esme.outstanding).toBe(0);
    // the slots came back: two more go through
    answerNow = true;
    const more = await Promise.all([pair.esme.request(submit('c')), pair.esme.request(submit('d'))]);
    expect(more.map((r) => r.command_status)).toEqual([0, 0]);
  }, 10_000);

  it('expiry settles every expired request even when one callback throws, then throws that error', () => {
    const w = new Window<string>(3);
    const seen: Array<[number, string | undefined]> = [];
    for (const seq of [1, 2, 3]) {
      expect(w.tryReserve()).toBe(true);
      w.addWith(seq, 'submit_sm', 100, (err) => {
        seen.push([seq, (err as SessionError | null)?.code]);
        if (seq === 1) throw new Error('callback bug');
      });
    }
    expect(() => w.sweep(100)).toThrow('callback bug');
    expect(seen).toEqual([
      [1, 'RESPONSE_TIMEOUT'],
      [2, 'RESPONSE_TIMEOUT'],
      [3, 'RESPONSE_TIMEOUT'],
    ]);
    expect(w.outstanding).toBe(0);
    expect(w.tryReserve()).toBe(true); // the slots are free
  });

  it('a full window with windowWaitTimeoutMs 0 calls back WINDOW_TIMEOUT (not sent), after returning', async () => {
    const clock = new ManualClock();
    pair = await boundPair({ windowSize: 1, windowWaitTimeoutMs: 0, clock });
    pair.mc.on('request', () => {}); // never answers
    pair.esme.requestWith(submit('1'), () => {});
    let returned = false;
    const err = await new Promise<Error | null>((resolve) => {
      pair!.esme.requestWith(submit('2'), (e) => {
        expect(returned).toBe(true);
        resolve(e);
      });
      returned = true;
    });
    expect(err).toMatchObject({ code: 'WINDOW_TIMEOUT', maybeDelivered: false });
  });
});

describe('Session.requestEncodedWith', () => {
  it("sends the caller's octets numbered by the session, in the window, each settled once with its own response", async () => {
    pair = await boundPair({ windowSize: 3 });
    const seen: Pdu[] = [];
    pair.mc.on('request', (pdu) => {
      if (pdu.command !== 'submit_sm') return;
      seen.push(pdu);
      pair!.mc.respond(pdu, { message_id: `m${pdu.sequence_number}` });
    });
    const got = new Map<string, Outcome[]>();
    for (let i = 0; i < 20; i++) {
      const text = String(i);
      const bytes = encodeWithHeader('submit_sm', submit(text), 0, 0);
      pair.esme.requestEncodedWith('submit_sm', bytes, (err, resp) => {
        got.set(text, [...(got.get(text) ?? []), { err, resp }]);
      });
    }
    await until(() => got.size === 20);
    await new Promise((r) => setTimeout(r, 20)); // nothing settles twice
    for (const [text, list] of got) {
      expect(list).toHaveLength(1);
      const pdu = seen.find((p) => (p as { short_message: Buffer }).short_message.toString() === text)!;
      expect((list[0]!.resp as { message_id: string }).message_id).toBe(`m${pdu.sequence_number}`);
    }
    expect(new Set(seen.map((p) => p.sequence_number)).size).toBe(20);
    expect(pair.esme.outstanding).toBe(0);
  });

  it('follows the state rules: refused before the bind, called back after it returns', async () => {
    const p = await sessionPair();
    pair = p;
    let returned = false;
    const err = await new Promise<Error | null>((resolve) => {
      p.esme.requestEncodedWith('submit_sm', encodeWithHeader('submit_sm', submit('x'), 0, 0), (e) => {
        expect(returned).toBe(true);
        resolve(e);
      });
      returned = true;
    });
    expect(err).toBeInstanceOf(SessionError);
    expect(err).toMatchObject({ code: 'NOT_ALLOWED' });
  });
});
