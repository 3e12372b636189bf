import type { BenchResult, Metric } from './result';

function valueText(m: Metric): string {
  if (m.value === null) return 'not measured';
  const v = typeof m.value === 'number' ? m.value.toLocaleString('en-US') : m.value;
  return m.unit ? `${v} ${m.unit}` : v;
}

function verdict(m: Metric): string {
  if (m.target === undefined) return '';
  if (m.ok === undefined) return '-';
  return m.ok ? 'met' : 'MISSED';
}

export interface TableRow {
  bench: string;
  metric: string;
  value: string;
  target: string;
  verdict: string;
}

export function tableRows(results: readonly BenchResult[]): TableRow[] {
  return results.flatMap((r) =>
    r.metrics.map((m) => ({
      bench: r.id.toUpperCase(),
      metric: m.name,
      value: valueText(m),
      target: m.target ?? '',
      verdict: verdict(m),
    })),
  );
}

const columns: Array<[keyof TableRow, string]> = [
  ['bench', 'bench'],
  ['metric', 'metric'],
  ['value', 'value'],
  ['target', 'target'],
  ['verdict', ''],
];

/** A plain-text table for the terminal. */
export function formatTable(results: readonly BenchResult[]): string {
  const rows = tableRows(results);
  const widths = columns.map(([key, title]) =>
    Math.max(title.length, ...rows.map((row) => row[key].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map(([, title]) => title)),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((row) => line(columns.map(([key]) => row[key]))),
  ].join('\n');
}

/** The same table in Markdown for RESULTS.md, aligned as biome formats Markdown tables. */
export function markdownTable(results: readonly BenchResult[]): string {
  const esc = (text: string) => text.replaceAll('|', '\\|');
  const rows = tableRows(results).map((r) =>
    [r.bench, r.metric, r.value, r.target, r.verdict].map(esc),
  );
  const header = ['bench', 'metric', 'value', 'target', ''];
  const widths = header.map((h, i) =>
    Math.max(3, h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
