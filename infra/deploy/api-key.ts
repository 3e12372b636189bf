import { type APIGatewayClient, GetApiKeyCommand } from '@aws-sdk/client-api-gateway';

/**
 * The API key's value. CloudFormation only knows the key's id; the value is read with
 * GetApiKey includeValue (IAM permission apigateway:GET on the key).
 */
export async function fetchApiKeyValue(
  client: APIGatewayClient,
  apiKeyId: string,
): Promise<string> {
  const key = await client.send(new GetApiKeyCommand({ apiKey: apiKeyId, includeValue: true }));
  if (!key.value) {
    throw new Error(
      `API key ${apiKeyId} came back without its value; check the caller may call apigateway GET on it`,
    );
  }
  if (key.enabled === false) {
    throw new Error(`API key ${apiKeyId} is disabled; enable it in API Gateway or redeploy`);
  }
  return key.value;
}
