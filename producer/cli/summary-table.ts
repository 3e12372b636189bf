import chalk from 'chalk';
import type { ProducerSummary } from '../summary';

/** What to do about the failures seen, in the user's terms. */
export function hints(summary: ProducerSummary): string[] {
  const reasons = Object.keys(summary.failedByReason);
  const out: string[] = [];
  const has = (re: RegExp) => reasons.some((r) => re.test(r));
  if (has(/^403 Forbidden/))
    out.push('403 Forbidden: the API key is wrong or disabled; check --api-key / API_KEY.');
  if (has(/^403 Missing Authentication Token/)) {
    out.push(
      '403 Missing Authentication Token: no such route; check that --api-url / API_URL ends in /<stage>/events.',
    );
  }
  if (has(/^network E(CONNREFUSED|NOTFOUND)|^network UND_ERR_CONNECT/)) {
    out.push('Could not connect: is the pipeline running (`npm run dev`) and API_URL current?');
  }
  if (has(/^timeout/))
    out.push('Requests timed out: raise --timeout or lower the load (--n-workers, --rate).');
  if (has(/^(429|503)/))
    out.push(
      'Throttled or storage unavailable after all retries: lower the load or raise --max-retries.',
    );
  if (summary.rate?.behind) {
    out.push(
      `Open loop fell behind schedule (max lag ${summary.rate.maxLagMs} ms): raise --n-workers or lower --rate.`,
    );
  }
  return out;
}

const pad = (label: string) => label.padEnd(12);

/** The human summary on stdout (the --json one is the ProducerSummary itself). */
export function formatSummaryTable(summary: ProducerSummary, maskedKey: string): string {
  const s = summary;
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`  ${chalk.dim(pad(label))} ${value}`);
  const title =
    s.stoppedBy === 'signal'
      ? chalk.yellow.bold('Stopped by Ctrl+C')
      : s.failed > 0
        ? chalk.red.bold('Done, with failures')
        : chalk.green.bold('Done');
  lines.push(title);
  row('endpoint', `${s.apiUrl} ${chalk.dim(`(key ${maskedKey})`)}`);
  row('sent', String(s.sent));
  row(
    'acked',
    `${chalk.green(String(s.acked))}${s.duplicates ? chalk.dim(` (${s.duplicates} already stored)`) : ''}`,
  );
  row('failed', s.failed ? chalk.red(String(s.failed)) : '0');
  for (const [reason, n] of Object.entries(s.failedByReason).sort((a, b) => b[1] - a[1])) {
    lines.push(`    ${chalk.red(String(n).padStart(6))}  ${reason}`);
  }
  row('aborted', s.aborted ? chalk.yellow(String(s.aborted)) : '0');
  row('requests', `${s.requests} (${s.retries} retries)`);
  row('duration', `${(s.durationMs / 1000).toFixed(2)} s`);
  row('throughput', `${s.throughput} readings/s`);
  const l = s.latencyMs;
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  row('latency', `p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p99 ${ms(l.p99)}  max ${ms(l.max)}`);
  if (s.rate) {
    const r = s.rate;
    const lag = r.behind
      ? chalk.yellow(`behind: ${r.lateRequests} late, max lag ${r.maxLagMs} ms`)
      : 'on schedule';
    row('rate', `${r.achieved}/${r.target} readings/s, ${lag}`);
  }
  if (s.reportFile) row('report', s.reportFile);
  for (const hint of hints(s)) lines.push(chalk.yellow(`  hint: ${hint}`));
  return `${lines.join('\n')}\n`;
}
