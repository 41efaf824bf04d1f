// The admin API's shapes the console reads (the contract in the API's routes; older fields read as a fallback).

export interface SessionInfo {
  id: number;
  systemId: string | null;
  bindType: string | null;
  remoteAddress?: string;
  remotePort?: number;
  /** older API: "host:port" */
  remote?: string;
  since?: string;
  connectedAt?: string;
  boundAt: string | null;
  windowInUse?: number;
  pending?: number;
  tps?: number;
  pdusIn?: number;
  pdusOut?: number;
  requestsIn?: number;
  tls: boolean;
  state?: string;
}

export interface Tick {
  t: number;
  submits: number;
  receipts: number;
  mo: number;
  sessions: number;
}

export interface PartView {
  id: string;
  partNum: number;
  state: string;
  err: number;
  text: string;
  submittedAt: string;
  doneAt: string | null;
}

export interface MessageView {
  id: string;
  ids: string[];
  direction: 'MT' | 'MO';
  command: string;
  systemId: string;
  deliverTo: string | null;
  from: string;
  to: string;
  text: string;
  partTotal: number;
  partsReceived: number;
  complete: boolean;
  state: string;
  err: number;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  submittedAt: string;
  doneAt: string | null;
  scheduledAt: string | null;
  expiresAt: string;
  parts: PartView[];
}

export interface PduView {
  id?: string;
  direction?: 'in' | 'out';
  command?: string;
  at?: string;
  fields?: Record<string, unknown>;
  /** older API: the decoded PDU */
  decoded?: Record<string, unknown> | null;
  hex: string | null;
}

export interface MessageDetail extends MessageView {
  messageIds?: string[];
  history: Array<{ id?: string; at: string; state: string; detail?: string }>;
  pdus: PduView[];
  deliveries?: Array<{ id: string; kind: string; systemId: string; status: string; attempts: number }>;
}

export interface DeliveryStats {
  window: number;
  by: string;
  rows: Array<{
    key: string;
    submitted: number;
    final: number;
    delivered: number;
    rate: number | null;
    states: Record<string, number>;
  }>;
  latency: { count: number; p50: number | null; p90: number | null; p99: number | null; max: number | null };
}

export interface MoPreview {
  encoding: string;
  dataCoding: number;
  parts: number;
  septetsOrOctets: number;
  perPart: number;
  /** septets or octets */
  unit?: string;
}
