/**
 * The table definition (model/events-table.ts) in DuckDB's terms: how a stored object is read, and
 * the `push_pipeline.events` view with the Glue table's columns, types and partitions.
 */
import { eventsTable, type Partition, type TableColumnType } from '../../model';

/** Hive/Athena type -> DuckDB type. */
const duckTypes: Record<TableColumnType, string> = {
  string: 'VARCHAR',
  double: 'DOUBLE',
  bigint: 'BIGINT',
  timestamp: 'TIMESTAMP',
};

/** Joda (Hive) pattern letters -> strftime, for the patterns the table uses. */
function strftimeOf(joda: string): string {
  const map: Record<string, string> = {
    yyyy: '%Y',
    MM: '%m',
    dd: '%d',
    HH: '%H',
    mm: '%M',
    ss: '%S',
  };
  return joda.replace(/yyyy|MM|dd|HH|mm|ss/g, (token) => map[token] ?? token);
}

export const quoteLiteral = (value: string): string => `'${value.replaceAll("'", "''")}'`;
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Columns added to each stored object while it is cached: its key and its partition. */
export const KEY_FIELD = '__key';
const partitionField = (name: string) => `__${name}`;
/** The cache's own column with the object key (not in the view). */
export const KEY_COLUMN = '_key';

/** One cached line: the object's JSON with the key and the partition values in front. */
export function taggedLine(key: string, partition: Partition, body: string): string | undefined {
  // JSON may be pretty-printed; a line break is only ever whitespace between tokens.
  const json = body.trim().replace(/[\r\n]+/g, ' ');
  if (!json.startsWith('{')) return undefined;
  const fields = [
    `${JSON.stringify(KEY_FIELD)}:${JSON.stringify(key)}`,
    ...eventsTable.partitionColumns.map(
      (c) => `${JSON.stringify(partitionField(c.name))}:${JSON.stringify(partition[c.name])}`,
    ),
  ].join(',');
  const rest = json.slice(1).trimStart();
  return rest.startsWith('}') ? `{${fields}${rest}` : `{${fields},${rest}`;
}

/** SELECT over tagged lines in `file`, giving the cached columns (the view's plus the key). */
export function selectTaggedLines(file: string): string {
  const columns = [
    ...eventsTable.columns.map((c) => `${quoteIdent(c.name)}: '${duckTypes[c.type]}'`),
    ...[KEY_FIELD, ...eventsTable.partitionColumns.map((c) => partitionField(c.name))].map(
      (name) => `${quoteIdent(name)}: 'VARCHAR'`,
    ),
  ].join(', ');
  const select = [
    ...eventsTable.columns.map((c) => quoteIdent(c.name)),
    ...eventsTable.partitionColumns.map(
      (c) => `${quoteIdent(partitionField(c.name))} AS ${quoteIdent(c.name)}`,
    ),
    `${quoteIdent(KEY_FIELD)} AS ${quoteIdent(KEY_COLUMN)}`,
  ].join(', ');
  return (
    `SELECT ${select} FROM read_json(${quoteLiteral(file)}, format = 'newline_delimited', ` +
    `columns = {${columns}}, timestampformat = ${quoteLiteral(strftimeOf(eventsTable.timestampFormat))}, ` +
    `maximum_object_size = 16777216)`
  );
}

/** The local database and table names: those of the default stack's Glue table. */
export interface ViewNames {
  readonly database: string;
  readonly table: string;
}

/** `CREATE OR REPLACE VIEW <database>.<table>` over the cached Parquet segments. */
export function createViewSql(names: ViewNames, segments: readonly string[]): string {
  const target = `${quoteIdent(names.database)}.${quoteIdent(names.table)}`;
  const all = [...eventsTable.columns, ...eventsTable.partitionColumns];
  if (segments.length === 0) {
    const empty = all
      .map((c) => `CAST(NULL AS ${duckTypes[c.type]}) AS ${quoteIdent(c.name)}`)
      .join(', ');
    return `CREATE OR REPLACE VIEW ${target} AS SELECT ${empty} LIMIT 0`;
  }
  const list = segments.map(quoteLiteral).join(', ');
  const select = all.map((c) => quoteIdent(c.name)).join(', ');
  return `CREATE OR REPLACE VIEW ${target} AS SELECT ${select} FROM read_parquet([${list}])`;
}
