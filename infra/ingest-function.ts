import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { pipelineDefinition } from '../deployment/definition';
import { repoRoot } from '../deployment/repo-root';
import type { EnvironmentKind } from './environment-kind';

export interface IngestFunctionProps {
  readonly bucket: s3.Bucket;
  readonly environmentKind: EnvironmentKind;
  /** Instruction set; default the definition's (arm64). */
  readonly architecture?: lambda.Architecture;
}

const fn = pipelineDefinition.function;

/** Maps the definition's runtime name to CDK's, or declares it when this CDK does not know it yet. */
export function lambdaRuntime(name: string = fn.runtime): lambda.Runtime {
  return (
    lambda.Runtime.ALL.find((runtime) => runtime.name === name) ??
    new lambda.Runtime(name, lambda.RuntimeFamily.NODEJS)
  );
}

/**
 * arm64 (Graviton) by default: about 20 % cheaper per GB-s than x86_64. Some regions launch
 * without arm64 Lambda for a while, so `-c architecture=x86_64` (or the stack prop) chooses x86_64;
 * the bundle is plain JavaScript and runs on either.
 */
export function lambdaArchitecture(name: unknown = fn.architecture): lambda.Architecture {
  if (name === undefined || name === null || name === '')
    return lambdaArchitecture(fn.architecture);
  if (name === 'arm64') return lambda.Architecture.ARM_64;
  if (name === 'x86_64') return lambda.Architecture.X86_64;
  throw new Error(
    `unknown Lambda architecture ${JSON.stringify(name)}; use arm64 (the default) or x86_64, e.g. -c architecture=x86_64`,
  );
}

/**
 * The handler as a Lambda function: bundled by local esbuild (no Docker) with the AWS SDK inside,
 * so the SDK version is the tested one and emulators without a bundled SDK run it too.
 */
export class IngestFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: IngestFunctionProps) {
    super(scope, id);
    const keyPrefix = pipelineDefinition.storage.keyPrefix;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy:
        props.environmentKind === 'local' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });

    // A role of its own rather than AWSLambdaBasicExecutionRole: logs only to this log group,
    // objects only under the key prefix. There is deliberately no s3:ListBucket (it would let the
    // function list the whole bucket), so a GetObject on a missing key answers 403 instead of 404:
    // the handler reads a key only after its conditional put failed with 412, and takes a 403 there
    // for a key deleted since, which its next conditional put confirms (handler/store/s3-store.ts).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'push-pipeline function: write logs, put/get readings under the key prefix',
      inlinePolicies: {
        'logs-and-readings': new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [this.logGroup.logGroupArn],
            }),
            new iam.PolicyStatement({
              actions: ['s3:PutObject', 's3:GetObject'],
              resources: [props.bucket.arnForObjects(`${keyPrefix}*`)],
            }),
          ],
        }),
      },
    });

    this.function = new NodejsFunction(this, 'Function', {
      description: 'push-pipeline: validates readings and stores them as JSON in S3',
      entry: path.join(repoRoot, fn.entry),
      handler: fn.exportName,
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      runtime: lambdaRuntime(),
      architecture: props.architecture ?? lambdaArchitecture(),
      memorySize: fn.memoryMB,
      timeout: Duration.seconds(fn.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        [fn.bucketEnvVar]: props.bucket.bucketName,
        NODE_OPTIONS: '--enable-source-maps',
        // LocalStack hands the function an endpoint whose host may not carry <bucket>.<host>
        // names; path-style addressing works on every emulator (the handler reads this flag).
        ...(props.environmentKind === 'local' && { AWS_S3_FORCE_PATH_STYLE: '1' }),
      },
      // The definition's settings, which the emulator's Lambda host bundles with too.
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.CJS,
        target: fn.bundling.target,
        // Bundle everything, the AWS SDK included: no reliance on the runtime's SDK version.
        externalModules: [],
        mainFields: [...fn.bundling.mainFields],
        minify: fn.bundling.minify,
        sourceMap: fn.bundling.sourceMap,
        // Stack traces need names and lines, not the sources: keeps the .map small.
        sourcesContent: fn.bundling.sourcesContent,
      },
    });

    const bucketLogicalId = Stack.of(this).getLogicalId(
      props.bucket.node.defaultChild as s3.CfnBucket,
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${keyPrefix}*]`,
      reason: `Readings are stored one object per key under ${keyPrefix}; the function needs every key below that prefix and nothing else.`,
    });
  }
}
