// @smppkit/smsc-sim: an SMSC simulator that stores and forwards, sends receipts, and behaves like a carrier when told to.
//
//   const smsc = await startSmsc({ port: 0, store: 'memory' });
//   … bind an ESME to 127.0.0.1:smsc.port, submit …
//   await smsc.waitForMessage({ to: '4790000001' });
//   await smsc.close();
import { adminTarget } from './admin.js';
import { checkTokenNeeded } from './api/auth.js';
import type { MessageDetail } from './api/inspect.js';
import type { MessageView } from './api/message-view.js';
import { HttpApi } from './api/server.js';
import { loadConfigFile, mergeConfig, validateConfig } from './config/load.js';
import type {
  BindFailureConfig,
  FaultConfig,
  LimitsConfig,
  LogFormat,
  LogLevel,
  ReceiptStyle,
  Rule,
  SimConfig,
  StoreSetting,
} from './config/types.js';
import type { MoRequest, MoResult } from './delivery/mo.js';
import type { ConnectionInfo } from './server/connection.js';
import { Smsc } from './smsc.js';
import type { MessageFilter } from './store/record.js';
import { prepareSqlDriver } from './store/sqlite/driver.js';
import type { MinimalLogger } from './util/logger.js';

export interface StartOptions {
  /** a YAML or JSON config file; the other options override it */
  config?: string;
  host?: string;
  /** default 0 (any free port) */
  port?: number;
  /** HTTP admin API port (0 = any free port); default: no HTTP API */
  httpPort?: number | null;
  httpHost?: string;
  /** the token the admin API requires (required when httpHost is not a loopback address) */
  apiToken?: string;
  /** default 'memory' */
  store?: StoreSetting;
  /** account settings as in the config file (validated the same way) */
  accounts?: unknown[];
  rules?: Rule[];
  seed?: number;
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  /** pino, or any object with debug/info/warn/error (default: pino to stdout, as logFormat says) */
  logger?: MinimalLogger;
  idleTimeoutMs?: number;
  deliveryRetryMs?: number;
  /** deliver_sm outstanding per session (default 200) */
  deliveryWindow?: number;
  /** deliver_sm owed per account held in memory (default 1000); the rest wait in the store */
  deliveryQueueLimit?: number;
  defaultDelayMs?: SimConfig['defaultDelayMs'];
  defaultValidityMs?: number;
  receipt?: Partial<ReceiptStyle>;
  faults?: FaultConfig;
  tls?: { port: number; cert: string; key: string };
  /** failed binds throttled (as in the config file; missing keys take their defaults) */
  security?: { bindFailures?: Partial<BindFailureConfig> };
  /** what one peer may cost (as in the config file) */
  limits?: Partial<LimitsConfig>;
}

export interface SmscHandle {
  readonly port: number;
  readonly tlsPort: number | null;
  readonly httpPort: number | null;
  /** logical messages (parts reassembled), newest first unless filter.order is 'asc' */
  messages(filter?: MessageFilter): MessageView[];
  /** One message by the id its ESME was given (else the row number); systemId when ids of several accounts collide. */
  message(id: string, systemId?: string): MessageDetail | undefined;
  injectMo(req: MoRequest): MoResult;
  /** the handset at this address is available: alert_notification to the ESMEs that asked for it (set_dpf) */
  alertAvailable(address: string): { sent: number; pending: number };
  waitForMessage(filter?: MessageFilter & { text?: string | RegExp }, timeoutMs?: number): Promise<MessageView>;
  setRules(rules: Rule[]): void;
  setFaults(faults: FaultConfig | undefined, systemId?: string): void;
  outbind(target: { host: string; port: number; systemId: string; password: string }): Promise<{ connection: number }>;
  sessions(): ConnectionInfo[];
  close(): Promise<void>;
  /** the simulator itself, for what the handle does not cover */
  readonly smsc: Smsc;
}

/** Builds the full configuration from a config file and options (validated; throws ConfigError naming field and value). */
export function resolveConfig(opts: StartOptions, defaults: Partial<SimConfig> = {}): SimConfig {
  const fromFile = opts.config ? loadConfigFile(opts.config) : {};
  const { config: _c, logger: _l, ...rest } = opts;
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) raw[k] = v;
  const fromOpts = validateConfig(raw, 'options');
  return mergeConfig(defaults, fromFile, fromOpts);
}

export async function startSmsc(opts: StartOptions = {}): Promise<SmscHandle> {
  const config = resolveConfig(opts, { port: 0, httpPort: null, store: 'memory', logLevel: 'error' });
  return startWithConfig(config, opts.logger);
}

export async function startWithConfig(config: SimConfig, logger?: MinimalLogger): Promise<SmscHandle> {
  // better-sqlite3 (optional) for a file store; a memory store falls back to sql.js where the native build is missing.
  await prepareSqlDriver(config.store === 'memory' ? ':memory:' : config.store.path);
  if (config.httpPort !== null) checkTokenNeeded(config.httpHost, config.apiToken);
  const smsc = new Smsc(config, logger);
  let http: HttpApi | null = null;
  try {
    await smsc.start();
    if (config.httpPort !== null) {
      http = new HttpApi(adminTarget(smsc), { token: config.apiToken });
      await http.listen(config.httpPort, config.httpHost);
    }
  } catch (e) {
    await http?.close();
    await smsc.close();
    throw e;
  }
  const httpApi = http;
  return {
    port: smsc.port,
    tlsPort: smsc.tlsPort,
    httpPort: httpApi?.port ?? null,
    messages: (filter = {}) => smsc.messages(filter).messages,
    message: (id, systemId) => smsc.message(id, systemId),
    injectMo: (req) => smsc.injectMo(req),
    alertAvailable: (address) => smsc.alerts.available(address),
    waitForMessage: (filter, timeoutMs) => smsc.waitForMessage(filter, timeoutMs),
    setRules: (rules) => smsc.setRules(rules),
    setFaults: (faults, systemId) => smsc.setFaults(faults, systemId),
    outbind: (t) => smsc.outbind(t),
    sessions: () => smsc.sessions(),
    close: async () => {
      await httpApi?.close();
      await smsc.close();
    },
    smsc,
  };
}

export type { MessageDetail } from './api/inspect.js';
export type { MessageView, PartView } from './api/message-view.js';
export { configJsonSchema, defaultConfig, loadConfigFile, validateConfig, validateRules } from './config/load.js';
export type {
  AccountConfig,
  BindFailureConfig,
  BindType,
  FaultConfig,
  LimitsConfig,
  LogFormat,
  LogLevel,
  ReceiptStyle,
  Rule,
  RuleMatch,
  SecurityConfig,
  SimConfig,
  StateName,
  StoreSetting,
} from './config/types.js';
export { ConfigError } from './config/types.js';
export type { MoRequest, MoResult } from './delivery/mo.js';
export { MoError } from './delivery/mo.js';
export type { ConnectionInfo } from './server/connection.js';
export { Smsc } from './smsc.js';
export type { MessageFilter } from './store/record.js';
