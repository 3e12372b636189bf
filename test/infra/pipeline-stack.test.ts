import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { pipelineDefinition } from '../../deployment/definition';
import { toStoredRecord } from '../../handler/core/transform';
import { athenaWorkgroupName, glueDatabaseName } from '../../infra/athena-names';
import { stackOutputNames } from '../../infra/stack-outputs';
import {
  eventsTable,
  OLDEST_EPOCH,
  objectKeyFor,
  partitionOf,
  partitionPathTemplate,
  type TableColumn,
} from '../../model';
import { createTestApp, type TestApp } from './synth-app';

// One synth for the whole file (seconds each); bundling is skipped here, bundle.test.ts bundles.
// The one synth that also runs the CDK's built-in CloudFormation validation, failing on a finding.
let testApp: TestApp;
let template: Template;

beforeAll(() => {
  testApp = createTestApp({ environmentKind: 'aws', cfnValidation: true });
  // Runs the cdk-nag plugin and the CloudFormation validation: throws on any unacknowledged finding.
  testApp.app.synth();
  template = Template.fromStack(testApp.stack);
});
afterAll(() => testApp.dispose());

const def = pipelineDefinition;
const bucketId = () =>
  Object.keys(template.findResources('AWS::S3::Bucket')).find((id) => id.startsWith('Events')) ??
  '';

describe('S3 bucket', () => {
  test('blocks public access, encrypts with S3-managed keys, versions, expires old versions', () => {
    template.resourceCountIs('AWS::S3::Bucket', 2); // the readings, and Athena's query results
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Status: 'Enabled',
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          }),
        ]),
      },
    });
  });

  test('is retained when the stack is deleted (aws)', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  test('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('Lambda function', () => {
  test('runs the definition handler on nodejs24.x arm64 with its memory and timeout', () => {
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: def.function.runtime,
      Architectures: [def.function.architecture],
      MemorySize: def.function.memoryMB,
      Timeout: def.function.timeoutSeconds,
      Handler: `index.${def.function.exportName}`,
      Environment: {
        Variables: {
          [def.function.bucketEnvVar]: { Ref: bucketId() },
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^IngestLogs') } },
    });
  });

  test('on AWS it gets no emulator settings', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    expect(Object.keys(fn?.Properties.Environment.Variables ?? {}).sort()).toEqual(
      [def.function.bucketEnvVar, 'NODE_OPTIONS'].sort(),
    );
  });

  test('logs to its own log group, kept one month', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Retain',
    });
  });
});

describe('least-privilege role', () => {
  test('may only write its logs and put/get objects under the key prefix', () => {
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const role = Object.values(template.findResources('AWS::IAM::Role'))[0];
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Action: 'sts:AssumeRole',
        Principal: { Service: 'lambda.amazonaws.com' },
      }),
    ]);
    const statements = role?.Properties.Policies.flatMap(
      (policy: { PolicyDocument: { Statement: unknown[] } }) => policy.PolicyDocument.Statement,
    );
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^IngestLogs/), 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:GetObject'],
        Resource: {
          'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, `/${def.storage.keyPrefix}*`]],
        },
      },
    ]);
  });
});

describe('REST API', () => {
  test('serves each definition route with Lambda proxy integration and an API key', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: def.api.name,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      ApiKeySourceType: 'HEADER',
    });
    for (const route of def.api.routes) {
      template.hasResourceProperties('AWS::ApiGateway::Resource', {
        PathPart: route.path.replace(/^\//, ''),
      });
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: route.method,
        ApiKeyRequired: true,
        AuthorizationType: 'NONE',
        Integration: {
          Type: 'AWS_PROXY',
          IntegrationHttpMethod: 'POST',
          TimeoutInMillis: def.api.integrationTimeoutMs,
        },
      });
    }
    template.resourceCountIs('AWS::ApiGateway::Method', def.api.routes.length);
  });

  test('deploys the definition stage without an account-level CloudWatch role', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: def.api.stage });
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  test('has an API key in a usage plan throttled as the definition says, on that stage', () => {
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    template.hasResourceProperties('AWS::ApiGateway::ApiKey', { Enabled: true });
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: def.api.throttle.rateLimit, BurstLimit: def.api.throttle.burstLimit },
      Quota: { Limit: def.api.quota.limit, Period: def.api.quota.period },
      ApiStages: [
        {
          ApiId: { Ref: Match.stringLikeRegexp('^ApiRestApi') },
          Stage: { Ref: Match.stringLikeRegexp('^ApiRestApiDeploymentStage') },
        },
      ],
    });
    template.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', {
      KeyType: 'API_KEY',
      KeyId: { Ref: Match.stringLikeRegexp('^ApiRestApiApiKey') },
    });
  });
});

describe('outputs', () => {
  test('are exactly the ones deploy scripts read', () => {
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual([...stackOutputNames].sort());
  });

  test('ApiUrl points at the events route of the stage', () => {
    template.hasOutput('ApiUrl', {
      Value: {
        'Fn::Join': [
          '',
          Match.arrayWith([
            { Ref: Match.stringLikeRegexp(`^ApiRestApiDeploymentStage${def.api.stage}`) },
            def.api.routes[0].path,
          ]),
        ],
      },
    });
    template.hasOutput('ApiId', { Value: { Ref: Match.stringLikeRegexp('^ApiRestApi') } });
    template.hasOutput('ApiKeyId', { Value: { Ref: Match.stringLikeRegexp('^ApiRestApiApiKey') } });
    template.hasOutput('BucketName', { Value: { Ref: bucketId() } });
    template.hasOutput('FunctionName', {
      Value: { Ref: Match.stringLikeRegexp('^IngestFunction') },
    });
    template.hasOutput('LogGroupName', {
      Value: { Ref: Match.stringLikeRegexp('^IngestLogs') },
    });
    template.hasOutput('Stage', {
      Value: { Ref: Match.stringLikeRegexp('^ApiRestApiDeploymentStage') },
    });
  });
});

describe('Athena table', () => {
  // Everything below comes from the one table definition (model/events-table.ts), never retyped.
  const fromDefinition = (column: TableColumn) => ({
    Name: column.name,
    Type: column.type,
    Comment: column.comment,
  });

  test('is a JSON table over the key prefix with the definition columns, read by the Hive JSON SerDe', () => {
    template.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: { Name: glueDatabaseName(testApp.stack.stackName) },
    });
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: glueDatabaseName(testApp.stack.stackName),
      TableInput: {
        Name: eventsTable.name,
        TableType: 'EXTERNAL_TABLE',
        PartitionKeys: eventsTable.partitionColumns.map(fromDefinition),
        StorageDescriptor: {
          Location: {
            'Fn::Join': ['', ['s3://', { Ref: bucketId() }, `/${eventsTable.keyPrefix}`]],
          },
          SerdeInfo: {
            SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe',
            Parameters: { 'timestamp.formats': eventsTable.timestampFormat },
          },
          Columns: eventsTable.columns.map(fromDefinition),
        },
      },
    });
  });

  test('has a column for every field of a stored record the handler writes', () => {
    const table = Object.values(template.findResources('AWS::Glue::Table'))[0];
    const columns = table?.Properties.TableInput.StorageDescriptor.Columns.map(
      (c: { Name: string }) => c.Name,
    );
    const record = toStoredRecord(
      {
        id: '3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f',
        sensor_id: '6f1c2a4e-8b3d-4c5e-9a7f-1e2d3c4b5a60',
        temperature: 21.5,
        epoch: OLDEST_EPOCH,
      },
      new Date(),
    );
    expect(columns).toEqual(Object.keys(record));
  });

  test('projects dt/hour partitions from the key layout, from the oldest epoch the contract accepts', () => {
    const partitionTemplate = partitionPathTemplate;
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: {
        Parameters: Match.objectLike({
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          'projection.dt.range': `${partitionOf(OLDEST_EPOCH).dt},NOW+1DAY`,
          'projection.hour.type': 'integer',
          'projection.hour.range': '0,23',
          'projection.hour.digits': '2',
          'storage.location.template': {
            'Fn::Join': [
              '',
              ['s3://', { Ref: bucketId() }, `/${eventsTable.keyPrefix}${partitionTemplate}`],
            ],
          },
        }),
      },
    });
    // The template is the key layout with placeholders: a real key fits it.
    const key = objectKeyFor({ id: 'x', epoch: OLDEST_EPOCH });
    expect(key).toBe(
      `${eventsTable.keyPrefix}${partitionTemplate.replace(/\$\{dt\}/, '2025-01-01').replace(/\$\{hour\}/, '00')}x.json`,
    );
  });
});

describe('Athena workgroup', () => {
  const resultsId = () =>
    Object.keys(template.findResources('AWS::S3::Bucket')).find((id) =>
      id.startsWith('AthenaQueries'),
    ) ?? '';

  test('is named after the stack and enforces an encrypted result location of its own', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: athenaWorkgroupName(testApp.stack.stackName),
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: resultsId() }, '/results/']] },
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        },
      },
    });
  });

  test('results are private, encrypted, TLS-only and expire after a week', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 7, Status: 'Enabled' })]),
      },
    });
    expect(resultsId()).not.toBe('');
  });

  test('a managed policy allows querying this table through this workgroup and nothing else', () => {
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))[0];
    const statements = policy?.Properties.PolicyDocument.Statement as {
      Action: string | string[];
      Resource: unknown;
      Condition?: unknown;
    }[];
    const actions = statements.flatMap((st) => st.Action);
    expect(actions.every((a) => /^(athena|glue|s3):[A-Za-z]+$/.test(a))).toBe(true);
    expect(actions).not.toContain('s3:PutObject*');
    const athenaStatement = statements.find((st) =>
      [st.Action].flat().includes('athena:StartQueryExecution'),
    );
    expect(JSON.stringify(athenaStatement?.Resource)).toContain(
      `workgroup/${athenaWorkgroupName(testApp.stack.stackName)}`,
    );
    const eventsList = statements.find(
      (st) => [st.Action].flat().includes('s3:ListBucket') && st.Condition !== undefined,
    );
    expect(eventsList?.Condition).toEqual({
      StringLike: { 's3:prefix': [`${eventsTable.keyPrefix}*`] },
    });
    // Writes go to the results bucket only.
    const writes = statements.filter((st) => [st.Action].flat().includes('s3:PutObject'));
    expect(JSON.stringify(writes)).toContain(resultsId());
    expect(JSON.stringify(writes)).not.toContain(bucketId());
  });
});

describe('cdk-nag AwsSolutions', () => {
  test('finds nothing unacknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(testApp.stack);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
    const annotations = Annotations.fromStack(testApp.stack);
    expect(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
  });

  test('every acknowledgment gives a reason', () => {
    const acknowledged = testApp.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
      .flatMap((m) => Object.entries(m.data as Record<string, unknown>));
    expect(acknowledged.map(([id]) => id)).toEqual(
      expect.arrayContaining([expect.stringContaining('AwsSolutions-S1')]),
    );
    for (const [, reason] of acknowledged) expect(String(reason).length).toBeGreaterThan(30);
  });
});
