import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { pipelineDefinition } from '../../deployment/definition';
import { fixture, rawRequest, startTestPipeline, type TestPipeline } from './helpers';

// Starting a pipeline bundles and cold-starts a function: slow on a busy machine, not a hang.
jest.setTimeout(30_000);

// The echo fixture returns the event, the context and some of the environment it was given.
interface Echo {
  event: APIGatewayProxyEvent;
  context: Context & { remainingTimeInMillis: number };
  env: Record<string, string | null>;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the Lambda proxy event, context and environment', () => {
  let t: TestPipeline;
  beforeAll(async () => {
    t = await startTestPipeline({ handlerEntry: fixture('behaviours.ts') });
  });
  afterAll(() => t?.dispose());

  it('is a REST (v1) proxy event with the headers as sent', async () => {
    const response = await rawRequest(t.pipeline.apiUrl, {
      headers: {
        'Content-Type': 'application/json',
        'x-api-key': t.pipeline.apiKey,
        'X-Custom-Header': 'Value',
        'X-Multi': ['one', 'two'],
        'user-agent': 'emulator-test/1.0',
      },
      body: '{"temperature":21.5}',
    });
    expect(response.status).toBe(200);
    const { event } = response.json() as Echo;
    const stage = pipelineDefinition.api.stage;
    expect(event).toMatchObject({
      resource: '/events',
      path: '/events',
      httpMethod: 'POST',
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: '{"temperature":21.5}',
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({
      'Content-Type': 'application/json',
      'x-api-key': t.pipeline.apiKey,
      'X-Custom-Header': 'Value',
      'X-Multi': 'two',
      'User-Agent': 'emulator-test/1.0',
      'X-Forwarded-Proto': 'http',
    });
    expect(event.multiValueHeaders['X-Multi']).toEqual(['one', 'two']);
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    // Like API Gateway, hop-by-hop framing headers do not reach the function.
    expect(Object.keys(event.headers).map((h) => h.toLowerCase())).not.toContain('content-length');

    const rc = event.requestContext;
    expect(rc).toMatchObject({
      accountId: '000000000000',
      apiId: t.pipeline.apiId,
      resourcePath: '/events',
      httpMethod: 'POST',
      stage,
      path: `/${stage}/events`,
      protocol: 'HTTP/1.1',
      identity: {
        sourceIp: '127.0.0.1',
        userAgent: 'emulator-test/1.0',
        apiKey: t.pipeline.apiKey,
        apiKeyId: t.pipeline.apiKeyId,
        cognitoIdentityId: null,
        user: null,
        userArn: null,
      },
    });
    expect(rc.requestId).toMatch(uuid);
    expect(rc.resourceId).toMatch(/^[0-9a-z]{6}$/);
    expect(rc.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(rc.requestTimeEpoch - Date.now())).toBeLessThan(60_000);
    // The response carries the same ids the function saw.
    expect(response.headers['x-amzn-requestid']).toBe(rc.requestId);
    expect(response.headers['x-amz-apigw-id']).toBe(rc.extendedRequestId);
  });

  it('passes query strings, single and multi-valued', async () => {
    const response = await rawRequest(`${t.pipeline.apiUrl}?mode=echo&a=1&a=2&b=x%20y`, {
      headers: { 'x-api-key': t.pipeline.apiKey },
    });
    const { event } = response.json() as Echo;
    expect(event.queryStringParameters).toEqual({ mode: 'echo', a: '2', b: 'x y' });
    expect(event.multiValueQueryStringParameters).toEqual({
      mode: ['echo'],
      a: ['1', '2'],
      b: ['x y'],
    });
    expect(event.body).toBeNull();
  });

  it('base64-encodes a body that is not UTF-8 text', async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    const response = await rawRequest(t.pipeline.apiUrl, {
      headers: { 'x-api-key': t.pipeline.apiKey, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    const { event } = response.json() as Echo;
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });

  it('gives the function a Lambda context and the deployed environment', async () => {
    const response = await rawRequest(t.pipeline.apiUrl, {
      headers: { 'x-api-key': t.pipeline.apiKey },
    });
    const { context, env } = response.json() as Echo;
    const functionName = `${pipelineDefinition.api.name}-handler`;
    expect(context).toMatchObject({
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
      memoryLimitInMB: String(pipelineDefinition.function.memoryMB),
      logGroupName: `/aws/lambda/${functionName}`,
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context.awsRequestId).toMatch(uuid);
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.remainingTimeInMillis).toBeGreaterThan(0);
    expect(context.remainingTimeInMillis).toBeLessThanOrEqual(
      pipelineDefinition.function.timeoutSeconds * 1000,
    );
    expect(env).toEqual({
      BUCKET_NAME: t.pipeline.bucket,
      AWS_ENDPOINT_URL_S3: t.pipeline.s3.endpoint,
      AWS_S3_FORCE_PATH_STYLE: 'true',
      AWS_REGION: t.pipeline.s3.region,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_LAMBDA_FUNCTION_NAME: functionName,
      // Nothing of the host's environment leaks into the sandbox.
      HOME: null,
    });
  });
});
