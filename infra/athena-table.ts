import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { pipelineDefinition } from '../pipeline/definition';

export interface AthenaTableProps {
  readonly bucket: s3.IBucket;
  /** Glue database name (lower case, letters, digits and underscores). */
  readonly databaseName: string;
  readonly tableName?: string;
}

/** Columns of the stored record (CONTRACT.md "Transformation"); Hive types as Athena reads them. */
export const storedRecordColumns: readonly glue.CfnTable.ColumnProperty[] = [
  { name: 'id', type: 'string', comment: 'reading UUID (lower case)' },
  { name: 'sensor_id', type: 'string', comment: 'sensor UUID (lower case)' },
  { name: 'temperature', type: 'double', comment: 'degrees Celsius' },
  { name: 'epoch', type: 'bigint', comment: 'seconds since 1970-01-01 UTC' },
  { name: 'temp_group', type: 'string', comment: 'A: 10 <= t < 20, B: 20 <= t < 30, C otherwise' },
  { name: 'event_dt', type: 'timestamp', comment: 'epoch as YYYY-MM-DD HH:MM:SS UTC' },
  { name: 'ingestion_source', type: 'string' },
  { name: 'ingested_at', type: 'string', comment: 'ISO-8601 UTC time the function stored it' },
];

export const partitionColumns: readonly glue.CfnTable.ColumnProperty[] = [
  { name: 'dt', type: 'string', comment: 'YYYY-MM-DD of the reading (UTC)' },
  { name: 'hour', type: 'string', comment: 'HH of the reading (UTC)' },
];

/** Turns a stack name into a Glue/Athena-friendly database name: PushPipeline -> push_pipeline. */
export function glueDatabaseName(stackName: string): string {
  return stackName
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .toLowerCase();
}

/**
 * A Glue database and table over the stored readings. Partition projection computes the
 * dt/hour partitions from the key layout, so Athena queries them right after deploy, with no
 * crawler and no MSCK REPAIR.
 */
export class AthenaTable extends Construct {
  readonly database: glue.CfnDatabase;
  readonly table: glue.CfnTable;
  readonly tableName: string;
  readonly databaseName: string;

  constructor(scope: Construct, id: string, props: AthenaTableProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    const prefix = pipelineDefinition.storage.keyPrefix;
    const location = `s3://${props.bucket.bucketName}/${prefix}`;
    this.databaseName = props.databaseName;
    this.tableName = props.tableName ?? 'events';

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
        parameters: {
          EXTERNAL: 'TRUE',
          classification: 'json',
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          // Readings may be up to 300 s in the future, so today+1 covers every stored key.
          'projection.dt.range': 'NOW-1YEARS,NOW+1DAY',
          'projection.dt.interval': '1',
          'projection.dt.interval.unit': 'DAYS',
          'projection.hour.type': 'integer',
          'projection.hour.range': '0,23',
          'projection.hour.digits': '2',
          'storage.location.template': `${location}dt=\${dt}/hour=\${hour}/`,
        },
        partitionKeys: [...partitionColumns],
        storageDescriptor: {
          location,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            parameters: { 'ignore.malformed.json': 'FALSE' },
          },
          columns: [...storedRecordColumns],
          compressed: false,
        },
      },
    });
    this.table.node.addDependency(this.database);
  }
}
