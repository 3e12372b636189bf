/**
 * The function invoked directly through the Lambda API (@aws-sdk/client-lambda), without the
 * gateway, on every target: how a developer runs the handler with an event of their own. The
 * function must answer a proxy event exactly as it answers the gateway.
 */
import {
  GetFunctionCommand,
  InvokeCommand,
  type InvokeCommandOutput,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import type { Reading } from '../model';
import { Bucket } from './support/bucket';
import { ingestionEvent } from './support/proxy-event';
import { freshReading, freshReadings } from './support/readings';
import { type StartedTarget, startTarget } from './targets';

let target: StartedTarget;
let bucket: Bucket;
let lambda: LambdaClient;

beforeAll(async () => {
  target = await startTarget();
  bucket = new Bucket(target.s3, target.bucket);
  lambda = new LambdaClient(target.lambda);
});

afterAll(async () => {
  lambda?.destroy();
  bucket?.destroy();
  await target?.stop();
});

/** Invokes with a proxy event for `body`; the proxy result, parsed, and the raw output. */
async function invoke(body: string, logType?: 'Tail') {
  const output: InvokeCommandOutput = await lambda.send(
    new InvokeCommand({
      FunctionName: target.functionName,
      Payload: JSON.stringify(ingestionEvent(body)),
      LogType: logType,
    }),
  );
  const payload = Buffer.from(output.Payload ?? []).toString('utf8');
  const result = JSON.parse(payload) as { statusCode?: number; body?: string };
  return { output, statusCode: result.statusCode, body: JSON.parse(result.body ?? 'null') };
}

describe('the function invoked directly with a proxy event', () => {
  it('is Active', async () => {
    const { Configuration } = await lambda.send(
      new GetFunctionCommand({ FunctionName: target.functionName }),
    );
    expect(Configuration?.State).toBe('Active');
  });

  it('stores a valid reading and answers 200 with its key', async () => {
    const reading = freshReading();
    const { output, statusCode, body } = await invoke(JSON.stringify(reading));
    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBeUndefined();
    expect(statusCode).toBe(200);
    expect(body).toMatchObject({ accepted: 1, duplicates: 0 });
    const [key] = (body as { keys: string[] }).keys;
    expect(key).toMatch(new RegExp(`/${reading.id}\\.json$`));
    expect(JSON.parse((await bucket.read(key ?? '')) ?? 'null')).toMatchObject(reading);
  });

  it('answers a bad body with the contract’s 400, naming the field, and stores nothing', async () => {
    const [good, bad] = freshReadings(2) as [Reading, Reading];
    const { output, statusCode, body } = await invoke(
      JSON.stringify([good, { ...bad, temperature: 'warm' }]),
    );
    // A rejected request is the function's answer, not a function error.
    expect(output.FunctionError).toBeUndefined();
    expect(statusCode).toBe(400);
    expect(body).toMatchObject({
      message: expect.any(String),
      errors: [expect.objectContaining({ index: 1, field: 'temperature' })],
      requestId: expect.any(String),
    });
    expect(await bucket.has(good)).toBe(false);
    expect(await bucket.has(bad)).toBe(false);
  });

  it('returns the tail of its log with LogType Tail', async () => {
    const { output, statusCode } = await invoke(JSON.stringify(freshReading()), 'Tail');
    expect(statusCode).toBe(200);
    const tail = Buffer.from(output.LogResult ?? '', 'base64').toString('utf8');
    // The handler's own line for the request (Powertools JSON), whatever the platform adds.
    expect(tail).toContain('request handled');
  });
});
