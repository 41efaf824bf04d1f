import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WriteBatcher } from '../src/session/index.js';

/** A writable that records writes and returns false when told to (like a socket over its high-water mark). */
class FakeSocket extends EventEmitter {
  chunks: Buffer[] = [];
  full = false;
  write(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return !this.full;
  }
}

const tick = () => new Promise((r) => setImmediate(r));

describe('WriteBatcher', () => {
  it('writes everything pushed in one tick in a single write, in order', async () => {
    const sock = new FakeSocket();
    const b = new WriteBatcher(sock);
    for (let i = 0; i < 100; i++) b.push(Buffer.from([i]));
    expect(sock.chunks).toHaveLength(0);
    await tick();
    expect(sock.chunks).toHaveLength(1);
    expect([...sock.chunks[0]]).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(b.writes).toBe(1);
    b.push(Buffer.from([1]));
    await tick();
    expect(sock.chunks).toHaveLength(2);
  });

  it('writes every maxBatch PDUs at once when a tick produces more, the rest at the end of the tick, in order', async () => {
    const sock = new FakeSocket();
    const b = new WriteBatcher(sock, setImmediate, undefined, 32);
    for (let i = 0; i < 100; i++) b.push(Buffer.from([i]));
    expect(sock.chunks.map((c) => c.length)).toEqual([32, 32, 32]);
    await tick();
    expect(sock.chunks.map((c) => c.length)).toEqual([32, 32, 32, 4]);
    expect([...Buffer.concat(sock.chunks)]).toEqual(Array.from({ length: 100 }, (_, i) => i));
    // blocked: nothing is written early, whatever the count
    sock.full = true;
    b.push(Buffer.from([0]));
    await tick();
    for (let i = 0; i < 40; i++) b.push(Buffer.from([i]));
    expect(sock.chunks).toHaveLength(5);
    sock.full = false;
    sock.emit('drain');
    expect(sock.chunks).toHaveLength(6);
    expect(sock.chunks[5]).toHaveLength(40);
  });

  it('stops writing when write() returns false and resumes on drain with everything queued meanwhile', async () => {
    const sock = new FakeSocket();
    const b = new WriteBatcher(sock);
    sock.full = true;
    b.push(Buffer.from('a'));
    await tick();
    expect(sock.chunks).toHaveLength(1);
    expect(b.isBlocked).toBe(true);
    b.push(Buffer.from('b'));
    b.push(Buffer.from('c'));
    await tick();
    await tick();
    b.flush();
    expect(sock.chunks).toHaveLength(1);
    expect(b.pendingBytes).toBe(2);
    sock.full = false;
    sock.emit('drain');
    expect(sock.chunks.map(String)).toEqual(['a', 'bc']);
    expect(b.isBlocked).toBe(false);
    expect(b.pendingBytes).toBe(0);
  });

  it('calls onDrained once a drain leaves nothing queued and the socket accepting more', async () => {
    const sock = new FakeSocket();
    let drained = 0;
    const b = new WriteBatcher(sock, setImmediate, () => drained++);
    sock.full = true;
    b.push(Buffer.from('a'));
    await tick();
    b.push(Buffer.from('b'));
    sock.emit('drain'); // still full: 'b' went out but the buffer is over its mark again
    expect(drained).toBe(0);
    expect(b.isBlocked).toBe(true);
    sock.full = false;
    sock.emit('drain');
    expect(drained).toBe(1);
    expect(sock.chunks.map(String)).toEqual(['a', 'b']);
  });

  it('finish() writes what is queued even when blocked, then accepts nothing', async () => {
    const sock = new FakeSocket();
    const b = new WriteBatcher(sock);
    sock.full = true;
    b.push(Buffer.from('a'));
    await tick();
    b.push(Buffer.from('b'));
    b.finish();
    expect(sock.chunks.map(String)).toEqual(['a', 'b']);
    expect(sock.listenerCount('drain')).toBe(0);
    b.push(Buffer.from('c'));
    await tick();
    expect(sock.chunks).toHaveLength(2);
  });

  it('discard() drops the queue and reports how much', async () => {
    const sock = new FakeSocket();
    const b = new WriteBatcher(sock);
    b.push(Buffer.alloc(10));
    expect(b.discard()).toBe(10);
    await tick();
    expect(sock.chunks).toHaveLength(0);
  });

  it('writes PDUs written in place (reserve, written) in order with those pushed, counted toward maxBatch', async () => {
    const sock = new FakeSocket();
    const b = new WriteBatcher(sock, setImmediate, undefined, 4);
    const place = (v: number) => {
      const buf = b.reserve(2);
      buf[b.reservedAt] = v;
      buf[b.reservedAt + 1] = v;
      b.written();
    };
    place(1);
    b.push(Buffer.from([2]));
    place(3);
    // a reserve given back leaves nothing behind
    b.reserve(5);
    b.cancelReserve();
    expect(b.pendingBytes).toBe(5);
    place(4); // the 4th PDU: written at once
    expect(sock.chunks.map((c) => [...c])).toEqual([[1, 1, 2, 3, 3, 4, 4]]);
    // blocked: what is written in place waits for 'drain', in order with what is pushed
    sock.full = true;
    place(5);
    await tick();
    place(6);
    b.push(Buffer.from([7]));
    place(8);
    expect(b.pendingBytes).toBe(5);
    sock.full = false;
    sock.emit('drain');
    expect(sock.chunks.slice(1).map((c) => [...c])).toEqual([
      [5, 5],
      [6, 6, 7, 8, 8],
    ]);
    expect(b.pendingBytes).toBe(0);
  });
});
