import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { eventsTable } from '../model';
import { athenaWorkgroupName } from './athena-names';
import type { AthenaTable } from './athena-table';
import type { EnvironmentKind } from './environment-kind';
import { privateBucketProps } from './events-bucket';

export interface AthenaWorkgroupProps {
  readonly events: s3.Bucket;
  readonly table: AthenaTable;
  readonly environmentKind: EnvironmentKind;
  /** Athena stops a query that scans more than this (a cost cap). Default 10 GiB. */
  readonly bytesScannedCutoffPerQuery?: number;
}

const RESULTS_PREFIX = 'results/';

/**
 * What Athena needs to answer a first query in an account that never used it: a workgroup with its
 * own encrypted result location (enforced, so a client setting cannot send results elsewhere), and
 * a managed policy that lets an identity query this table through this workgroup and nothing more.
 */
export class AthenaWorkgroup extends Construct {
  readonly workgroup: athena.CfnWorkGroup;
  readonly workgroupName: string;
  readonly results: s3.Bucket;
  readonly queryPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: AthenaWorkgroupProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const local = props.environmentKind === 'local';
    this.workgroupName = athenaWorkgroupName(stack.stackName);

    this.results = new s3.Bucket(this, 'Results', {
      ...privateBucketProps,
      // Query results can be recomputed from the readings: kept a week, then expired.
      lifecycleRules: [
        {
          id: 'expire-query-results',
          expiration: Duration.days(7),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: local ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: local,
    });
    Validations.of(this.results).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Athena query results only, expired after 7 days; access to them is logged by Athena and CloudTrail with each query.',
    });

    this.workgroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workgroupName,
      description:
        'push-pipeline: queries over the stored readings (npm run query -- --target aws)',
      state: 'ENABLED',
      // Query history is not data: deleting the stack deletes the workgroup with it.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery ?? 10 * 1024 ** 3,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: this.results.s3UrlForObject(RESULTS_PREFIX),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: stack.account,
        },
      },
    });

    const workgroupArn = stack.formatArn({
      service: 'athena',
      resource: 'workgroup',
      resourceName: this.workgroupName,
    });
    const glueArn = (resource: string, resourceName?: string) =>
      stack.formatArn({ service: 'glue', resource, ...(resourceName && { resourceName }) });
    const { databaseName, tableName } = props.table;
    this.queryPolicy = new iam.ManagedPolicy(this, 'QueryPolicy', {
      description: `Query ${databaseName}.${tableName} through the ${this.workgroupName} Athena workgroup, nothing else`,
      statements: [
        new iam.PolicyStatement({
          actions: [
            'athena:StartQueryExecution',
            'athena:GetQueryExecution',
            'athena:GetQueryResults',
            'athena:StopQueryExecution',
            'athena:GetWorkGroup',
          ],
          resources: [workgroupArn],
        }),
        new iam.PolicyStatement({
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
          resources: [
            glueArn('catalog'),
            glueArn('database', databaseName),
            glueArn('table', `${databaseName}/${tableName}`),
          ],
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetBucketLocation', 's3:ListBucket'],
          resources: [props.events.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${eventsTable.keyPrefix}*`] } },
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [props.events.arnForObjects(`${eventsTable.keyPrefix}*`)],
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetBucketLocation', 's3:ListBucket'],
          resources: [this.results.bucketArn],
        }),
        new iam.PolicyStatement({
          actions: [
            's3:GetObject',
            's3:PutObject',
            's3:AbortMultipartUpload',
            's3:ListMultipartUploadParts',
          ],
          resources: [this.results.arnForObjects(`${RESULTS_PREFIX}*`)],
        }),
      ],
    });
    const logicalId = (construct: Construct) =>
      stack.getLogicalId(construct.node.defaultChild as s3.CfnBucket);
    Validations.of(this.queryPolicy).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${logicalId(props.events)}.Arn>/${eventsTable.keyPrefix}*]`,
        reason: `A query reads any reading's object; they are all under ${eventsTable.keyPrefix}, one per key.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${logicalId(this.results)}.Arn>/${RESULTS_PREFIX}*]`,
        reason: `Athena writes each query's result under ${RESULTS_PREFIX} with a name of its own choosing.`,
      },
    );
  }
}
