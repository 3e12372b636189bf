// Test helper (not production code): API Gateway REST proxy events and Lambda contexts as the
// gateway and the Lambda runtime would pass them.
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

/** A recognisable API key: tests assert it never reaches a log. */
export const API_KEY = 'pk-SECRET-7c1e5b9a-never-log-me';

let counter = 0;

export function proxyEvent(
  body: unknown,
  overrides: Partial<APIGatewayProxyEvent> = {},
): APIGatewayProxyEvent {
  counter += 1;
  const requestId = `req-${counter}-${Date.now()}`;
  return {
    resource: '/events',
    path: '/events',
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-api-key': API_KEY, Host: 'example.test' },
    multiValueHeaders: {
      'Content-Type': ['application/json'],
      'x-api-key': [API_KEY],
      Host: ['example.test'],
    },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'testapi',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: 'POST',
      path: '/prod/events',
      stage: 'prod',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'res123',
      resourcePath: '/events',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: API_KEY,
        apiKeyId: 'key123',
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '127.0.0.1',
        user: null,
        userAgent: 'jest',
        userArn: null,
      },
    },
    ...overrides,
  };
}

export function lambdaContext(remainingMs = 10_000): Context {
  counter += 1;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'push-pipeline-handler',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:push-pipeline-handler',
    memoryLimitInMB: '512',
    awsRequestId: `aws-req-${counter}`,
    logGroupName: '/aws/lambda/push-pipeline-handler',
    logStreamName: '2026/06/01/[$LATEST]test',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
