import {
  GetFunctionCommand,
  LambdaClient,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import type { LambdaSettings } from '../deployment/target';

export interface WaitForFunctionActiveOptions {
  /** How long to wait in all; default 120 s. */
  readonly timeoutMs?: number;
  /** First and longest pause between two GetFunction calls (seconds); default 1 and 5. */
  readonly minDelaySeconds?: number;
  readonly maxDelaySeconds?: number;
}

/**
 * Waits until the function's state is Active (GetFunction, the SDK's waiter), so a deploy reports
 * the pipeline ready only when an invocation can run: LocalStack keeps a new function Pending
 * while it prepares its runtime (pulling the runtime image the first time), and the first request
 * through the gateway would otherwise wait for that or time out. Fails with the state and its
 * reason when the function fails or is still not Active at the end.
 */
export async function waitForFunctionActive(
  settings: LambdaSettings,
  functionName: string,
  options: WaitForFunctionActiveOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  // One attempt per call: the waiter is the retry loop, and a call never outlives the bound.
  const client = new LambdaClient({
    ...settings,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 },
  });
  try {
    await waitUntilFunctionActiveV2(
      {
        client,
        maxWaitTime: timeoutMs / 1000,
        minDelay: options.minDelaySeconds ?? 1,
        maxDelay: options.maxDelaySeconds ?? 5,
      },
      { FunctionName: functionName },
    );
  } catch {
    // The waiter's own error is a JSON dump of its polls; say what the function's state is.
    throw new Error(
      `the function ${functionName} did not become Active within ${timeoutMs / 1000} s (${await describeState(client, functionName)}). ` +
        'LocalStack prepares a new function in the background and pulls its runtime image the first time: ' +
        'check `docker compose logs localstack`, then run the deploy again (it is idempotent).',
    );
  } finally {
    client.destroy();
  }
}

async function describeState(client: LambdaClient, functionName: string): Promise<string> {
  try {
    const { Configuration } = await client.send(
      new GetFunctionCommand({ FunctionName: functionName }),
    );
    const reason = [Configuration?.StateReasonCode, Configuration?.StateReason]
      .filter((part) => part !== undefined && part !== '')
      .join(': ');
    return `state ${Configuration?.State ?? 'unknown'}${reason === '' ? '' : `: ${reason}`}`;
  } catch (error) {
    return `GetFunction failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
}
