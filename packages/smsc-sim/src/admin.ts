// The simulator as the admin API sees it (AdminTarget): what smsc.ts has, plus the session actions, delivery
// statistics, activity totals and session events the console needs, read from the simulator's parts.
import type { AdminTarget } from './api/target.js';
import type { Smsc } from './smsc.js';

export function adminTarget(smsc: Smsc): AdminTarget {
  const conn = (id: number) => smsc.connections.get(id);
  return {
    metrics: smsc.metrics,
    log: smsc.log,
    startedAt: smsc.startedAt,
    get port() {
      return smsc.port;
    },
    get tlsPort() {
      return smsc.tlsPort;
    },
    connections: smsc.connections,
    store: smsc.store,
    accounts: smsc.accounts,
    delivery: smsc.delivery,
    scenario: smsc.scenario,
    sessions: () => smsc.sessions(),
    messages: (f, scan) => smsc.messages(f, scan),
    message: (id, systemId) => smsc.message(id, systemId),
    setRules: (rules) => smsc.setRules(rules),
    faults: () => smsc.faults(),
    setFaults: (f, systemId) => smsc.setFaults(f, systemId),
    injectMo: (req) => smsc.injectMo(req),
    alerts: smsc.alerts,
    outbind: (t) => smsc.outbind(t),
    unbindSession(id) {
      const c = conn(id);
      // not awaited: the answer (or its absence) closes the session as usual
      c?.session.unbind().catch(() => c.socket.destroy());
      return c !== undefined;
    },
    dropSession(id) {
      const c = conn(id);
      c?.socket.destroy();
      return c !== undefined;
    },
    deliveryStats: (q) => ({
      rows: smsc.store.deliveryStats(q),
      latency: smsc.metrics.latency.summary(Date.now() - q.windowMs),
    }),
    activity: () => smsc.metrics.totals,
    onSessionsChange(fn) {
      smsc.sessionsChanged.add(fn);
      return () => smsc.sessionsChanged.delete(fn);
    },
  };
}
