// A connection's logger (server/conn-log.ts): the same lines as a pino child with the connection's bindings, but the
// child is made only when a line at a level that is on is written — a bound session that logs nothing keeps none.
import { describe, expect, it } from 'vitest';
import { ConnectionLog } from '../src/server/conn-log.js';
import { createLogger, type Logger } from '../src/util/logger.js';

function capture(level: string): { log: Logger; lines: string[]; children: () => number } {
  const lines: string[] = [];
  const log = createLogger(level, { write: (s: string) => void lines.push(s) }, 'json');
  let made = 0;
  const child = log.child.bind(log);
  log.child = ((b: Record<string, unknown>) => {
    made++;
    return child(b);
  }) as Logger['child'];
  return { log, lines, children: () => made };
}

/** a line without its time (the only field that differs between two loggers writing the same) */
const untimed = (line: string) => line.replace(/"time":\d+,/, '');

describe('ConnectionLog', () => {
  it('writes what a pino child with the same bindings and setBindings writes, key for key in the same order', () => {
    const a = capture('info');
    const lazy = new ConnectionLog(a.log, { conn: 7, remote: '127.0.0.1:4000' });
    lazy.setBindings({ systemId: 'acme', bindType: 'transceiver' });
    lazy.info({ reason: 'peer' }, 'session closed');
    lazy.warn({ n: 1 }, 'again');

    const b = capture('info');
    const child = b.log.child({ conn: 7, remote: '127.0.0.1:4000' });
    child.setBindings({ systemId: 'acme', bindType: 'transceiver' });
    child.info({ reason: 'peer' }, 'session closed');
    child.warn({ n: 1 }, 'again');

    expect(a.lines.map(untimed)).toEqual(b.lines.map(untimed));
    expect(JSON.parse(a.lines[0]!)).toMatchObject({
      conn: 7,
      remote: '127.0.0.1:4000',
      systemId: 'acme',
      bindType: 'transceiver',
      reason: 'peer',
      msg: 'session closed',
    });
  });

  it('makes no child while nothing is written at a level that is on, and one child after', () => {
    const c = capture('info');
    const lazy = new ConnectionLog(c.log, { conn: 1, remote: 'x' });
    expect(lazy.isLevelEnabled('debug')).toBe(false);
    expect(lazy.isLevelEnabled('info')).toBe(true);
    lazy.debug({ pdu: 1 }, 'pdu');
    lazy.setBindings({ systemId: 'acme' });
    expect(lazy.made).toBe(false);
    expect(c.children()).toBe(0);
    expect(c.lines).toEqual([]);

    lazy.error({ err: 'boom' }, 'failed');
    lazy.info({}, 'more');
    expect(c.children()).toBe(1);
    expect(lazy.made).toBe(true);
    expect(c.lines.map((l) => JSON.parse(l).systemId)).toEqual(['acme', 'acme']);
    // bindings set after the child was made go to it
    lazy.setBindings({ bindType: 'receiver' });
    lazy.info({}, 'last');
    expect(JSON.parse(c.lines[2]!)).toMatchObject({ conn: 1, systemId: 'acme', bindType: 'receiver', msg: 'last' });
  });

  it('writes a line given no message as pino does', () => {
    const a = capture('info');
    new ConnectionLog(a.log, { conn: 2 }).info({ k: 'v' });
    const b = capture('info');
    b.log.child({ conn: 2 }).info({ k: 'v' });
    expect(a.lines.map(untimed)).toEqual(b.lines.map(untimed));
  });
});
