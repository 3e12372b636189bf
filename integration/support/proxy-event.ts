import type { APIGatewayProxyEvent } from 'aws-lambda';
import { pipelineDefinition } from '../../deployment/definition';
import { buildProxyEvent } from '../../emulator/gateway/proxy-event';
import { newRequestIds } from '../../emulator/gateway/request-ids';

/**
 * The REST API proxy event API Gateway would send the function for a POST of `body` to the
 * ingestion route, built by the emulator's gateway model: what a developer passes to
 * `aws lambda invoke` to run the handler without the gateway.
 */
export function ingestionEvent(
  body: string,
  headers: Record<string, string> = { 'Content-Type': 'application/json' },
): APIGatewayProxyEvent {
  const { stage, routes } = pipelineDefinition.api;
  const route = routes[0].path;
  const receivedAt = new Date();
  return buildProxyEvent(
    {
      method: routes[0].method,
      rawHeaders: Object.entries(headers).flat(),
      query: '',
      body: Buffer.from(body),
      sourceIp: '127.0.0.1',
      localPort: 443,
      receivedAt,
      ...newRequestIds(receivedAt),
    },
    {
      accountId: '000000000000',
      apiId: 'direct',
      stage,
      resourceId: 'direct',
      resourcePath: route,
      path: route,
      stagePath: `/${stage}${route}`,
      apiKey: null,
      apiKeyId: null,
    },
  );
}
