// esme report merge A.json B.json …: one report from the reports of several hosts or processes.
import { writeFileSync } from 'node:fs';
import { writeHtmlReport } from '../load/html.js';
import { mergeReports, readReport, reportTable } from '../load/report.js';
import { EXIT } from './common.js';

export interface ReportMergeOptions {
  json?: boolean;
  html?: string;
  out?: string;
}

export function runReportMerge(files: string[], o: ReportMergeOptions): number {
  try {
    const merged = mergeReports(files.map(readReport));
    if (o.out) writeFileSync(o.out, JSON.stringify(merged, null, 2) + '\n');
    if (o.html) writeHtmlReport(o.html, merged);
    process.stdout.write(o.json ? JSON.stringify(merged) + '\n' : reportTable(merged) + '\n');
    return EXIT.OK;
  } catch (err) {
    process.stderr.write(`esme: ${(err as Error).message}\n`);
    return EXIT.USAGE;
  }
}
