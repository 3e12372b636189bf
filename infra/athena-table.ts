import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { eventsTable, partitionPathTemplate, type TableColumn } from '../model';

export { glueDatabaseName } from './athena-names';

export interface AthenaTableProps {
  readonly bucket: s3.IBucket;
  /** Glue database name (lower case, letters, digits and underscores). */
  readonly databaseName: string;
  readonly tableName?: string;
}

/** A column of the table definition (model/events-table.ts) as Glue declares it. */
export function glueColumn(column: TableColumn): glue.CfnTable.ColumnProperty {
  return { name: column.name, type: column.type, comment: column.comment };
}

/**
 * Partition projection parameters: dt from the contract's oldest epoch (its day) to tomorrow
 * (readings may be up to 300 s ahead), hour 00-23. The range is fixed at its start rather than
 * `NOW-1YEARS`, so a reading stays queryable however old it gets.
 */
export function projectionParameters(location: string): Record<string, string> {
  return {
    'projection.enabled': 'true',
    'projection.dt.type': 'date',
    'projection.dt.format': 'yyyy-MM-dd',
    'projection.dt.range': `${eventsTable.firstDt},NOW+1DAY`,
    'projection.dt.interval': '1',
    'projection.dt.interval.unit': 'DAYS',
    'projection.hour.type': 'integer',
    'projection.hour.range': '0,23',
    'projection.hour.digits': '2',
    'storage.location.template': `${location}${partitionPathTemplate}`,
  };
}

/**
 * A Glue database and table over the stored readings, declared from the one table definition
 * (model/events-table.ts). Partition projection computes the dt/hour partitions from the key
 * layout, so Athena queries them right after deploy, with no crawler and no MSCK REPAIR.
 */
export class AthenaTable extends Construct {
  readonly database: glue.CfnDatabase;
  readonly table: glue.CfnTable;
  readonly tableName: string;
  readonly databaseName: string;

  constructor(scope: Construct, id: string, props: AthenaTableProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    const location = `s3://${props.bucket.bucketName}/${eventsTable.keyPrefix}`;
    this.databaseName = props.databaseName;
    this.tableName = props.tableName ?? eventsTable.name;

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: this.databaseName,
        description: 'push-pipeline readings (query with Athena)',
      },
    });
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: account,
      databaseName: this.databaseName,
      tableInput: {
        name: this.tableName,
        description: 'One JSON object per reading, partitioned by the reading time (UTC)',
        tableType: 'EXTERNAL_TABLE',
        parameters: { EXTERNAL: 'TRUE', classification: 'json', ...projectionParameters(location) },
        partitionKeys: eventsTable.partitionColumns.map(glueColumn),
        storageDescriptor: {
          location,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          // The Hive JSON SerDe: Athena documents OpenX's results as possibly non-deterministic.
          // It reads event_dt as a timestamp in this format.
          serdeInfo: {
            serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe',
            parameters: { 'timestamp.formats': eventsTable.timestampFormat },
          },
          columns: eventsTable.columns.map(glueColumn),
          compressed: false,
        },
      },
    });
    this.table.node.addDependency(this.database);
  }
}
