/** A query result as the terminal, a JSON consumer or a spreadsheet wants it. */
import type { QueryResult } from './types';

export type OutputFormat = 'table' | 'json' | 'csv';

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const numeric = /^(tinyint|smallint|integer|int|bigint|hugeint|double|float|real|decimal)/;

/** An aligned table: numbers right-aligned, NULL shown as such, then the row count. */
export function formatTable(result: QueryResult): string {
  const { columns, rows } = result;
  const cells = rows.map((row) =>
    columns.map((c) => (row[c.name] === null ? 'NULL' : text(row[c.name]).replace(/\s/g, ' '))),
  );
  const widths = columns.map((c, i) =>
    Math.max(c.name.length, ...cells.map((line) => line[i]?.length ?? 0)),
  );
  const right = columns.map((c) => numeric.test(c.type));
  const line = (values: string[]) =>
    values
      .map((v, i) => (right[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [
    line(columns.map((c) => c.name)),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map(line),
    `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`,
  ];
  return `${out.join('\n')}\n`;
}

/** One JSON object per line. */
export function formatJson(result: QueryResult): string {
  return result.rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

/** RFC 4180: a header line, fields quoted when they hold a comma, quote or line break. */
export function formatCsv(result: QueryResult): string {
  const field = (value: string) =>
    /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  const lines = [
    result.columns.map((c) => field(c.name)).join(','),
    ...result.rows.map((row) => result.columns.map((c) => field(text(row[c.name]))).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

export function formatResult(result: QueryResult, format: OutputFormat): string {
  if (format === 'json') return formatJson(result);
  if (format === 'csv') return formatCsv(result);
  return formatTable(result);
}
