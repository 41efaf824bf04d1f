// esme listen: print incoming messages and receipts (one JSON object per line with --json), and what could not
// be taken as either: an undecodable message (acknowledged, so the SMSC does not resend it forever) and parts
// received again.
import { Client } from '../client.js';
import { ConfigError } from '../errors.js';
import { UndecodableMessageError } from '../mo.js';
import { pduView } from '../pdu-view.js';
import { bindModeFor, cliLogger, EXIT, errorJson, exitCodeOf, untilSignal, urlFrom } from './common.js';

export interface ListenOptions {
  url?: string;
  bind?: string;
  json?: boolean;
  count?: number;
  timeout?: number;
  trace?: boolean;
}

export async function runListen(o: ListenOptions): Promise<number> {
  const json = o.json ?? false;
  const fail = (err: unknown): number => {
    const e = errorJson(err);
    if (json) process.stdout.write(JSON.stringify({ type: 'error', error: e }) + '\n');
    process.stderr.write(`esme: ${e.message}\n`);
    return exitCodeOf(err);
  };
  let client: Client;
  try {
    const url = urlFrom(o.url);
    const mode = bindModeFor(url, o.bind);
    if (mode === 'transmitter')
      throw new ConfigError(
        'a transmitter-only bind receives nothing: use --bind transceiver (default), receiver or pair',
      );
    client = new Client({ url, mode, ...(o.trace ? { trace: true, logger: cliLogger() } : {}) });
  } catch (err) {
    return fail(err);
  }
  let seen = 0;
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const emit = (obj: Record<string, unknown>, text: string) => {
    process.stdout.write(json ? JSON.stringify(obj) + '\n' : text + '\n');
    if (o.count !== undefined && ++seen >= o.count) stop();
  };
  client.on('message', (m) =>
    emit(
      {
        type: 'message',
        from: m.from,
        to: m.to,
        text: m.text,
        dataCoding: m.dataCoding,
        parts: m.parts,
        complete: m.complete,
      },
      `message from ${m.from} to ${m.to}${m.complete ? '' : ' (incomplete)'}: ${m.text}`,
    ),
  );
  client.on('partReceipt', (r) => {
    const { id, stat, err, ...rest } = r;
    emit(
      { type: 'receipt', id, stat, err, ...rest },
      `receipt for ${id}: ${stat}${err !== undefined ? ` err ${err}` : ''}`,
    );
  });
  // Not messages: on stderr (and as a JSON line under --json); they do not count towards --count.
  client.on('error', (err) => {
    if (json) {
      const e = errorJson(err);
      if (err instanceof UndecodableMessageError) Object.assign(e, { reason: err.reason, pdu: pduView(err.pdu) });
      process.stdout.write(JSON.stringify({ type: 'error', error: e }) + '\n');
    }
    process.stderr.write(`esme: ${err.message}\n`);
  });
  client.on('duplicatePart', (d) => {
    const what = `part ${d.sequence} of ${d.total} (reference ${d.reference}) from ${d.source} to ${d.destination} received again`;
    const why = d.of === 'completed' ? 'its message was already delivered' : 'already held';
    if (json) process.stdout.write(JSON.stringify({ type: 'duplicate', ...d }) + '\n');
    process.stderr.write(`esme: ${what}, ignored (${why})\n`);
  });
  client.on('disconnected', (link, reason) =>
    process.stderr.write(`esme: ${link} disconnected (${reason}), reconnecting\n`),
  );
  // Listeners first, then the bind: an SMSC delivers what it holds right after bind_resp.
  try {
    await client.connect();
  } catch (err) {
    return fail(err);
  }
  if (!json) process.stderr.write('esme: listening (Ctrl-C to stop)\n');
  const timer = o.timeout !== undefined ? setTimeout(stop, o.timeout * 1000) : undefined;
  await Promise.race([stopped, untilSignal()]);
  if (timer) clearTimeout(timer);
  await client.close({ drainMs: 0 });
  return EXIT.OK;
}
