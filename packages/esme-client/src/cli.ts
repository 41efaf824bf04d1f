#!/usr/bin/env node
// esme: the command line of @smppkit/esme-client.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { runBulk } from './commands/bulk.js';
import { EXIT, nonNegativeInt, positiveInt, positiveNumber } from './commands/common.js';
import { runListen } from './commands/listen.js';
import { runLoad } from './commands/load.js';
import { runReportMerge } from './commands/report.js';
import { runSend } from './commands/send.js';
import { NATIONAL_LANGUAGES } from './national.js';
import { MODE_ALIASES } from './options.js';

// Output into a closed pipe (`esme --help | head -1`, `esme send --trace 2>&1 | head -8`): the reader is gone,
// so exit quietly rather than crash on EPIPE (or keep writing into nothing).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    process.exit(err.code === 'EPIPE' ? (process.exitCode ?? 0) : EXIT.USAGE);
  });
}

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;
const BIND_HELP = `bind as ${Object.keys(MODE_ALIASES).join(', ')} (default: the URL's mode=, else transceiver)`;
const URL_HELP =
  'smpp://system_id:password@host:port (smpps:// for TLS; query: mode=trx|tx|rx|pair, window, rate, system_type, …); default $ESME_URL';

const program = new Command('esme')
  .description(
    'SMPP client: send messages, listen for messages and receipts, load-test a carrier link, run a CSV campaign',
  )
  .version(VERSION, '-V, --version', 'print the version')
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText(
    'after',
    `
Exit status: 0 ok, 1 the SMSC refused something / not delivered / rows failed, 2 bad usage or input,
3 cannot connect or bind (load: the SMSC gone for good), 4 timed out waiting for a receipt,
130 / 143 load or bulk interrupted by SIGINT / SIGTERM (the partial report or the journal is written).

Examples:
  esme send --url smpp://acme:secret@smsc:2775 --from ACME --to 4790000001 --text "Hello" --wait-dlr 30
  esme listen --url smpp://acme:secret@smsc:2775?mode=rx --json
  esme load --url smpp://acme:secret@smsc:2775 --binds 2 --window 50 --rate 500 --duration 60 --dlr
  esme report merge host1.json host2.json --html all.html
  esme bulk --url smpp://acme:secret@smsc:2775 --csv contacts.csv --template "Hi {{name}}, your code is {{code}}" --rate 20 --out results.csv`,
  );

program
  .command('send')
  .description('submit one message (split when long) and print its message ids')
  .option('--url <url>', URL_HELP)
  .option('--bind <mode>', BIND_HELP)
  .requiredOption('--from <address>', 'sender (digits, +digits, or alphanumeric up to 11)')
  .requiredOption(
    '--to <address>',
    'destination: an international number (4790000001, +47 900 00 001), or a short code with --allow-short-codes',
  )
  .option('--country <code>', 'read a destination written nationally for this country (NO, DE, …)')
  .option('--allow-short-codes', 'accept a short-code destination (3–8 digits)')
  .option(
    '--connect-timeout <seconds>',
    'give up connecting and binding after this long (default 10)',
    positiveNumber('--connect-timeout'),
  )
  .requiredOption('--text <text>', 'message text')
  .option('--encoding <name>', 'auto, gsm7, ascii, latin1, ucs2, binary, or a data_coding number', 'auto')
  .addOption(
    new Option(
      '--split <mode>',
      'how to split long text (an SMPP v3.3 SMSC takes no TLVs: sar and payload fall back to udh)',
    ).choices(['udh', 'udh16', 'sar', 'payload']),
  )
  .option(
    '--national <codes>',
    `national language shift tables GSM 7-bit may use: ${Object.keys(NATIONAL_LANGUAGES).join(', ')}, a comma list, or all`,
  )
  .option('--dlr', 'request a delivery receipt')
  .option(
    '--wait-dlr <seconds>',
    'wait for the receipt and print it (implies --dlr; not with --bind transmitter)',
    positiveNumber('--wait-dlr'),
  )
  .option('--json', 'print one JSON object (with messageIds, also when the receipt does not come)')
  .option('--trace', 'log every PDU (decoded, and hex; the password redacted) to stderr')
  .addHelpText(
    'after',
    '\nExample:\n  esme send --url smpp://acme:secret@127.0.0.1:2775 --from ACME --to 4790000001 --text "Your code is 1234" --wait-dlr 10 --json',
  )
  .action(async (o) => {
    process.exitCode = await runSend(o);
  });

program
  .command('listen')
  .description('print incoming messages and receipts')
  .option('--url <url>', URL_HELP)
  .option('--bind <mode>', BIND_HELP)
  .option('--json', 'one JSON object per line (messages, receipts, and errors and duplicates)')
  .option('--count <n>', 'exit after n messages/receipts', positiveInt('--count'))
  .option('--timeout <seconds>', 'exit after this many seconds', positiveNumber('--timeout'))
  .option('--trace', 'log every PDU (decoded, and hex; the password redacted) to stderr')
  .addHelpText('after', '\nExample:\n  esme listen --url "smpp://acme:secret@127.0.0.1:2775?mode=rx" --json --count 10')
  .action(async (o) => {
    process.exitCode = await runListen(o);
  });

program
  .command('load')
  .description(
    'load-test: open loop at --rate (latency from the intended send time) or closed loop at full window (--unlimited)',
  )
  .option('--url <url...>', `${URL_HELP}; several URLs spread the load over several SMSCs`)
  .option('--binds <n>', 'binds per URL', positiveInt('--binds'), 1)
  .option('--window <n>', 'outstanding submits per bind', positiveInt('--window'), 10)
  .option('--rate <perSecond>', 'arrival rate, submits per second (open loop); FROM..TO with --ramp; A,B,C with --step')
  .option('--ramp <duration>', 'rise from FROM to TO of --rate over this long (60s, 2m), then hold TO')
  .option('--step <duration>', 'hold each rate of --rate A,B,C this long, then the next; the last is held')
  .option('--unlimited', 'closed loop: keep every window full')
  .option('--count <n>', 'number of messages', positiveInt('--count'))
  .option(
    '--duration <seconds>',
    'or: how long to send (wall clock; then --drain, receipts, report)',
    positiveNumber('--duration'),
  )
  .option(
    '--drain <seconds>',
    'after sending stops, wait this long for responses in flight',
    positiveNumber('--drain'),
    10,
  )
  .option(
    '--max-reconnects <n>',
    'reconnect attempts per bind before the run stops with a partial report (0: none)',
    nonNegativeInt('--max-reconnects'),
    3,
  )
  .option('--dlr', 'request receipts and report them (by stat, arrival→receipt latency)')
  .option(
    '--receipt-wait <seconds>',
    'after the last response, wait this long for missing receipts',
    positiveNumber('--receipt-wait'),
    10,
  )
  .option('--text <text>', 'the message')
  .option('--texts <file>', 'messages from a file, one per line (- for stdin), cycled')
  .option('--mix <kinds>', 'cycle through message kinds: gsm,ucs2,long,emoji')
  .option('--from <addresses>', 'sender, or several cycled: A,B,C', 'LOADTEST')
  .option('--to <address>', 'destination, or a range walked in order: 4790000000-4790099999', '4790000001')
  .option('--to-random <prefix:digits>', 'random destinations: prefix and that many random digits (47900:5)')
  .option('--country <code>', 'read destinations written nationally for this country (NO, DE, …)')
  .option('--report <file>', 'write the JSON report (with its HDR histograms, for report merge) to a file')
  .option('--json', 'print the JSON report instead of the table')
  .option('--hlog <file>', 'write per-interval latency histograms as an HdrHistogram interval log')
  .option('--interval <seconds>', 'timeline and --hlog interval', positiveNumber('--interval'), 1)
  .option('--html <file>', 'write a self-contained HTML report with charts')
  .option('--quiet', 'no progress line')
  .addHelpText(
    'after',
    '\nExit status: 0 ok; 1 failures, unanswered submits or missing receipts; 3 the SMSC went away for good (--max-reconnects);\n130 / 143 interrupted by SIGINT / SIGTERM (the partial report is still written).\n\nExamples:\n  esme load --url smpp://u:p@127.0.0.1:2775 --binds 4 --window 100 --unlimited --count 200000 --json\n  esme load --url smpp://u:p@127.0.0.1:2775 --rate 1000 --duration 30 --dlr --mix gsm,ucs2,long --report load.json --html load.html\n  esme load --url smpp://u:p@127.0.0.1:2775 --rate 100..5000 --ramp 60s --duration 120 --to-random 47900:5 --from A,B,C',
  )
  .action(async (o) => {
    process.exitCode = await runLoad(o);
  });

const report = program.command('report').description('work with load reports');
report
  .command('merge')
  .description(
    'merge JSON reports of esme load from several hosts or processes: counts summed, percentiles from the merged histograms',
  )
  .argument('<reports...>', 'JSON report files (esme load --report FILE)')
  .option('--json', 'print the merged JSON report')
  .option('--out <file>', 'write the merged JSON report to a file')
  .option('--html <file>', 'write a self-contained HTML report with charts')
  .addHelpText('after', '\nExample:\n  esme report merge host1.json host2.json --html all.html')
  .action((files: string[], o) => {
    process.exitCode = runReportMerge(files, o);
  });

program
  .command('bulk')
  .description(
    'send one personalised message per CSV row: checked first, streamed at --rate, journaled so a rerun never sends a row twice',
  )
  .option('--url <url>', URL_HELP)
  .requiredOption('--csv <file>', 'CSV export with a header row (RFC 4180 quoting; , or ; detected)')
  .requiredOption('--template <text>', 'message template, fields as {{column}}')
  .option('--from <address>', 'sender', 'INFO')
  .option('--to-column <name>', 'column with the destination number', 'to')
  .option('--country <code>', 'read numbers written nationally for this country (NO, DE, GB, …)')
  .option('--allow-short-codes', 'accept short-code destinations (3–8 digits)')
  .option('--rate <perSecond>', 'submits per second', positiveNumber('--rate'))
  .option('--window <n>', 'outstanding submits', positiveInt('--window'))
  .option('--dlr', 'request receipts')
  .option(
    '--wait-dlr <seconds>',
    'wait for each receipt and count delivered (implies --dlr)',
    positiveNumber('--wait-dlr'),
  )
  .option('--out <file>', "each row's outcome as it completes: .csv or .jsonl")
  .option(
    '--journal <file>',
    'journal of every submit (default: --out or --csv with .journal added); a rerun skips rows accepted',
  )
  .option('--resend-in-doubt', 'on a rerun, also send rows whose submit has no outcome in the journal (may duplicate)')
  .option('--encoding <name>', 'the file is utf8 (default, checked) or latin1 (Windows-1252 exports)')
  .option('--delimiter <char>', "field separator (default: detected from the header row: ',' ';' or tab)")
  .option('--price <perPart>', 'with --dry-run: the cost of one message part', positiveNumber('--price'))
  .option('--dry-run', 'check the file; show each row rendered, its encoding and parts; send nothing')
  .option('--no-progress', 'no progress bar (shown on a terminal)')
  .option('--json', 'one JSON object per line (rows, then a summary)')
  .addHelpText(
    'after',
    '\nExit status: 0 all sent (and delivered with --wait-dlr); 1 invalid rows, failures or not delivered; 2 bad input\n(nothing sent); 3 cannot connect; 4 receipts missing; 130 / 143 interrupted (the journal says which rows went out).\n\nExamples:\n  esme bulk --csv contacts.csv --template "Hi {{name}}, your code is {{code}}" --country NO --dry-run --price 0.05\n  esme bulk --url smpp://u:p@127.0.0.1:2775 --csv contacts.csv --template "Hi {{name}}" --rate 20 --wait-dlr 60 --out results.csv',
  )
  .action(async (o) => {
    process.exitCode = await runBulk(o);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  } else {
    process.stderr.write(`esme: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = EXIT.USAGE;
  }
}
