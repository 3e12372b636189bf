import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { pipelineDefinition } from '../deployment/definition';
import { glueDatabaseName } from './athena-names';
import { AthenaTable } from './athena-table';
import { AthenaWorkgroup } from './athena-workgroup';
import type { EnvironmentKind } from './environment-kind';
import { EventsBucket } from './events-bucket';
import { IngestApi } from './ingest-api';
import { IngestFunction } from './ingest-function';
import type { StackOutputName } from './stack-outputs';

export interface PipelineStackProps extends StackProps {
  /** 'aws' (default) retains the bucket and logs on delete; 'local' destroys them with the stack. */
  readonly environmentKind?: EnvironmentKind;
  /**
   * The Glue database/table and the Athena workgroup that queries it. Default: on for 'aws', off for 'local' (Glue and Athena
   * are not part of LocalStack's free edition, which ignores such resources).
   */
  readonly athenaTable?: boolean;
  /** The function's instruction set; default arm64 (deployment/definition.ts). */
  readonly architecture?: lambda.Architecture;
}

/**
 * The whole pipeline in one stack: API Gateway REST (API key, usage plan) -> Lambda -> S3, plus
 * the Athena table over the stored readings. Env-agnostic: synth needs no account lookups.
 */
export class PipelineStack extends Stack {
  readonly environmentKind: EnvironmentKind;
  readonly events: EventsBucket;
  readonly ingest: IngestFunction;
  readonly api: IngestApi;
  readonly athena: AthenaTable | undefined;
  readonly athenaWorkgroup: AthenaWorkgroup | undefined;

  constructor(scope: Construct, id: string, props: PipelineStackProps = {}) {
    super(scope, id, {
      description: 'push-pipeline: sensors POST readings to API Gateway, Lambda stores them in S3',
      ...props,
    });
    this.environmentKind = props.environmentKind ?? 'aws';
    Tags.of(this).add('project', 'push-pipeline');

    this.events = new EventsBucket(this, 'Events', { environmentKind: this.environmentKind });
    this.ingest = new IngestFunction(this, 'Ingest', {
      bucket: this.events.bucket,
      environmentKind: this.environmentKind,
      architecture: props.architecture,
    });
    this.api = new IngestApi(this, 'Api', { handler: this.ingest.function });
    this.athena =
      (props.athenaTable ?? this.environmentKind === 'aws')
        ? new AthenaTable(this, 'Athena', {
            bucket: this.events.bucket,
            databaseName: glueDatabaseName(this.stackName),
          })
        : undefined;
    this.athenaWorkgroup = this.athena
      ? new AthenaWorkgroup(this, 'AthenaQueries', {
          events: this.events.bucket,
          table: this.athena,
          environmentKind: this.environmentKind,
        })
      : undefined;

    const eventsRoute = pipelineDefinition.api.routes[0];
    const outputs: Record<StackOutputName, { value: string; description: string }> = {
      ApiId: { value: this.api.restApi.restApiId, description: 'REST API id' },
      Stage: { value: this.api.restApi.deploymentStage.stageName, description: 'API stage' },
      ApiUrl: {
        value: this.api.urlFor(eventsRoute.path),
        description: `URL producers ${eventsRoute.method} readings to`,
      },
      ApiKeyId: {
        value: this.api.apiKey.keyId,
        description:
          'API key id (the value: aws apigateway get-api-key --include-value --api-key <id>)',
      },
      BucketName: {
        value: this.events.bucket.bucketName,
        description: 'Bucket holding the readings',
      },
      FunctionName: { value: this.ingest.function.functionName, description: 'Ingestion function' },
      LogGroupName: {
        value: this.ingest.logGroup.logGroupName,
        description: "The function's log group (retained on AWS when the stack is deleted)",
      },
    };
    for (const [name, output] of Object.entries(outputs)) {
      new CfnOutput(this, name, output);
    }
  }
}
