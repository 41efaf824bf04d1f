// esme listen: print incoming messages and receipts (one JSON object per line with --json).
import { connect } from '../client.js';
import { EXIT, errorJson, exitCodeOf, untilSignal, urlFrom } from './common.js';

export interface ListenOptions {
  url?: string;
  json?: boolean;
  count?: number;
  timeout?: number;
  trace?: boolean;
}

export async function runListen(o: ListenOptions): Promise<number> {
  const json = o.json ?? false;
  let client;
  try {
    client = await connect(urlFrom(o.url), { trace: o.trace ?? false });
  } catch (err) {
    const e = errorJson(err);
    if (json) process.stdout.write(JSON.stringify({ type: 'error', error: e }) + '\n');
    process.stderr.write(`esme: ${e.message}\n`);
    return exitCodeOf(err);
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
      { type: 'message', from: m.from, to: m.to, text: m.text, dataCoding: m.dataCoding, parts: m.parts, complete: m.complete },
      `message from ${m.from} to ${m.to}${m.complete ? '' : ' (incomplete)'}: ${m.text}`,
    ),
  );
  client.on('partReceipt', (r) => {
    const { id, stat, err, ...rest } = r;
    emit({ type: 'receipt', id, stat, err, ...rest }, `receipt for ${id}: ${stat}${err !== undefined ? ` err ${err}` : ''}`);
  });
  client.on('disconnected', (link, reason) => process.stderr.write(`esme: ${link} disconnected (${reason}), reconnecting\n`));
  if (!json) process.stderr.write('esme: listening (Ctrl-C to stop)\n');
  const timer = o.timeout !== undefined ? setTimeout(stop, o.timeout * 1000) : undefined;
  await Promise.race([stopped, untilSignal()]);
  if (timer) clearTimeout(timer);
  await client.close({ drainMs: 0 });
  return EXIT.OK;
}
