import { Duration, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { pipelineDefinition } from '../deployment/definition';

export interface IngestApiProps {
  readonly handler: lambda.IFunction;
}

const api = pipelineDefinition.api;

/**
 * The REST API: the definition's routes with Lambda proxy integration, each requiring an API key,
 * and a usage plan with the definition's throttle on the definition's stage.
 */
export class IngestApi extends Construct {
  readonly restApi: apigw.RestApi;
  readonly apiKey: apigw.IApiKey;
  readonly usagePlan: apigw.UsagePlan;

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);
    this.restApi = new apigw.RestApi(this, 'RestApi', {
      restApiName: api.name,
      description: 'push-pipeline ingestion API',
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      // No account-wide CloudWatch role (also disabled in cdk.json): this stack owns nothing global.
      cloudWatchRole: false,
      apiKeySourceType: apigw.ApiKeySourceType.HEADER,
      deployOptions: { stageName: api.stage },
    });
    // RestApi adds its own "Endpoint" output (the stage root URL, not the events route); the
    // stack declares the outputs deploy scripts read, so this one would only mislead.
    this.restApi.node.tryRemoveChild('Endpoint');

    const integration = new apigw.LambdaIntegration(props.handler, {
      proxy: true,
      allowTestInvoke: false,
      timeout: Duration.millis(api.integrationTimeoutMs),
    });
    for (const route of api.routes) {
      this.restApi.root
        .resourceForPath(route.path)
        .addMethod(route.method, integration, { apiKeyRequired: api.apiKeyRequired });
    }

    this.apiKey = this.restApi.addApiKey('ApiKey', {
      description: 'push-pipeline producers (sent as the x-api-key header)',
    });
    this.usagePlan = this.restApi.addUsagePlan('UsagePlan', {
      name: `${api.name}-${api.stage}`,
      throttle: { rateLimit: api.throttle.rateLimit, burstLimit: api.throttle.burstLimit },
      quota: { limit: api.quota.limit, period: apigw.Period[api.quota.period] },
      apiStages: [{ api: this.restApi, stage: this.restApi.deploymentStage }],
    });
    this.usagePlan.addApiKey(this.apiKey);

    Validations.of(this.restApi).acknowledge(
      {
        id: 'AwsSolutions-APIG1',
        reason:
          'Access logging needs the account-level API Gateway CloudWatch role, which this stack ' +
          'deliberately does not own (cloudWatchRole: false); the function logs every request with its request id.',
      },
      {
        id: 'AwsSolutions-APIG6',
        reason:
          'Execution logging needs the same account-level CloudWatch role; the function logs each request.',
      },
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'The function validates every body against the one schema in model/ and answers with the ' +
          'error shapes of docs/CONTRACT.md; a gateway model would duplicate the schema and change those errors.',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'Sensors authenticate with an API key and a throttled usage plan; a WAF web ACL costs a ' +
          'monthly fee per deployment and can be associated with the stage where needed.',
      },
      {
        id: 'AwsSolutions-APIG4',
        reason:
          'Producers are devices sending an API key (x-api-key) as docs/CONTRACT.md specifies; IAM or ' +
          'Cognito authorizers do not fit such clients.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason: 'No user pool: producers authenticate with an API key and usage plan.',
      },
    );
  }

  /** The URL of a route on the deployed stage, e.g. https://<id>.execute-api.<region>.amazonaws.com/prod/events. */
  urlFor(path: string): string {
    return this.restApi.urlForPath(path);
  }
}
