/**
 * The emulator's Lambda API, through @aws-sdk/client-lambda as users call it (and raw HTTP where
 * the SDK cannot send what is tested): Invoke with its error shape and log tail, Event and
 * DryRun, GetFunction and the SDK's waiter, and Lambda's own errors.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  type InvokeCommandOutput,
  LambdaClient,
  ListFunctionsCommand,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { fixture, post, rawRequest, startTestPipeline, type TestPipeline } from './helpers';

const behaviours = fixture('behaviours.ts');
let t: TestPipeline;
let lambda: LambdaClient;

beforeAll(async () => {
  t = await startTestPipeline({
    handlerEntry: behaviours,
    functionTimeoutMs: 1000,
    concurrency: 2,
  });
  lambda = new LambdaClient(t.pipeline.lambda);
});

afterAll(async () => {
  lambda?.destroy();
  await t?.dispose();
});

/** An event selecting a fixture behaviour, as the gateway's `?mode=` query does. */
const modeEvent = (mode: string, extra: Record<string, string> = {}) =>
  JSON.stringify({ queryStringParameters: { mode, ...extra } });

const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('utf8');
const tailOf = (output: InvokeCommandOutput): string =>
  Buffer.from(output.LogResult ?? '', 'base64').toString('utf8');

describe('Invoke, RequestResponse', () => {
  it('passes the payload as the event and returns the result as the payload', async () => {
    const event = { queryStringParameters: { mode: 'echo' }, body: 'ünïcode', nested: [1, 2] };
    const output = await lambda.send(
      new InvokeCommand({ FunctionName: t.pipeline.functionName, Payload: JSON.stringify(event) }),
    );
    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBeUndefined();
    expect(output.ExecutedVersion).toBe('$LATEST');
    expect(output.LogResult).toBeUndefined();
    const result = JSON.parse(text(output.Payload));
    const echoed = JSON.parse(result.body);
    expect(echoed.event).toEqual(event);
    expect(echoed.context).toMatchObject({
      functionName: t.pipeline.functionName,
      invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${t.pipeline.functionName}`,
      awsRequestId: output.$metadata.requestId,
    });
  });

  it('gives the last 4 KB of the invocation log with LogType Tail', async () => {
    // 400 lines of 18 bytes: 7 KB, so the tail keeps only the later lines.
    const output = await lambda.send(
      new InvokeCommand({
        FunctionName: t.pipeline.functionName,
        Payload: modeEvent('log', { lines: '400' }),
        LogType: 'Tail',
      }),
    );
    expect(output.FunctionError).toBeUndefined();
    const tail = tailOf(output);
    const requestId = output.$metadata.requestId;
    expect(Buffer.from(output.LogResult ?? '', 'base64').length).toBe(4096);
    expect(tail).toContain('fixture line 0399');
    expect(tail).not.toContain('fixture line 0000');
    expect(tail).toContain(`END RequestId: ${requestId}`);
    expect(tail).toMatch(
      new RegExp(
        `REPORT RequestId: ${requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms`,
      ),
    );
  });

  it('gives the whole log of a short invocation, from its START line', async () => {
    const output = await lambda.send(
      new InvokeCommand({
        FunctionName: t.pipeline.functionName,
        Payload: modeEvent('log', { lines: '2' }),
        LogType: 'Tail',
      }),
    );
    const requestId = output.$metadata.requestId;
    expect(tailOf(output).split('\n').slice(0, 3)).toEqual([
      `START RequestId: ${requestId} Version: $LATEST`,
      'fixture line 0000',
      'fixture line 0001',
    ]);
  });

  it('answers a thrown error with Lambda’s error shape, and logs it', async () => {
    const output = await lambda.send(
      new InvokeCommand({
        FunctionName: t.pipeline.functionName,
        Payload: modeEvent('throw'),
        LogType: 'Tail',
      }),
    );
    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBe('Unhandled');
    const error = JSON.parse(text(output.Payload));
    expect(error).toEqual({
      errorType: 'Error',
      errorMessage: 'fixture failure',
      trace: expect.arrayContaining([expect.stringContaining('fixture failure')]),
    });
    expect(tailOf(output)).toContain('ERROR\tInvoke Error \t{"errorType":"Error"');
  });

  it('reports a timeout as Sandbox.Timedout, with the runtime’s lines as the tail', async () => {
    const output = await lambda.send(
      new InvokeCommand({
        FunctionName: t.pipeline.functionName,
        Payload: modeEvent('hang'),
        LogType: 'Tail',
      }),
    );
    expect(output.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(output.Payload))).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 1.00 seconds',
    });
    expect(tailOf(output)).toMatch(/Task timed out after 1\.00 seconds[\s\S]*Status: timeout/);
  });

  it('invokes by ARN, partial ARN and $LATEST too', async () => {
    const name = t.pipeline.functionName;
    for (const FunctionName of [
      `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
      `000000000000:function:${name}`,
      `${name}:$LATEST`,
    ]) {
      const output = await lambda.send(
        new InvokeCommand({ FunctionName, Payload: modeEvent('echo') }),
      );
      expect(output.FunctionError).toBeUndefined();
    }
    const qualified = await lambda.send(
      new InvokeCommand({ FunctionName: name, Qualifier: '$LATEST', Payload: modeEvent('echo') }),
    );
    expect(qualified.StatusCode).toBe(200);
  });

  it('passes an empty payload as {}', async () => {
    const output = await lambda.send(new InvokeCommand({ FunctionName: t.pipeline.functionName }));
    // The fixture's default mode echoes the event.
    expect(JSON.parse(JSON.parse(text(output.Payload)).body).event).toEqual({});
  });
});

describe('Lambda’s own errors', () => {
  it.each([
    ['an unknown name', 'no-such-function', undefined],
    [
      'another account',
      'arn:aws:lambda:us-east-1:111111111111:function:push-pipeline-handler',
      undefined,
    ],
    ['a version that does not exist', 'push-pipeline-handler', '7'],
  ])('%s: 404 ResourceNotFoundException', async (_case, FunctionName, Qualifier) => {
    const failure = await lambda
      .send(new InvokeCommand({ FunctionName, Qualifier }))
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
      message: expect.stringMatching(
        /^Function not found: arn:aws:lambda:us-east-1:\d{12}:function:/,
      ),
    });
  });

  it('a payload that is not JSON: 400 InvalidRequestContentException, nothing runs', async () => {
    const failure = await lambda
      .send(new InvokeCommand({ FunctionName: t.pipeline.functionName, Payload: '{"mode": ' }))
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({
      name: 'InvalidRequestContentException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('a payload over 6 MB: 413 RequestTooLargeException', async () => {
    const failure = await lambda
      .send(
        new InvokeCommand({
          FunctionName: t.pipeline.functionName,
          Payload: JSON.stringify({ pad: 'x'.repeat(6 * 1024 * 1024) }),
        }),
      )
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({
      name: 'RequestTooLargeException',
      $metadata: { httpStatusCode: 413 },
    });
  });

  it('an invocation type Lambda does not know: 400 ValidationException', async () => {
    const url = `${t.pipeline.lambda.endpoint}/2015-03-31/functions/${t.pipeline.functionName}/invocations`;
    const response = await rawRequest(url, {
      headers: { 'X-Amz-Invocation-Type': 'Later' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(response.headers['x-amzn-errortype']).toBe('ValidationException');
    expect(response.json()).toMatchObject({
      Type: 'User',
      Message: expect.stringContaining('Later'),
    });
  });

  it('an operation the emulator does not serve: 404 UnknownOperationException naming what it serves', async () => {
    const url = `${t.pipeline.lambda.endpoint}/2015-03-31/functions/${t.pipeline.functionName}`;
    const response = await rawRequest(url, { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect(response.headers['x-amzn-errortype']).toBe('UnknownOperationException');
    expect(JSON.stringify(response.json())).toContain('Invoke, GetFunction');
  });
});

describe('Invoke, Event and DryRun', () => {
  it('DryRun: 204, and the function does not run', async () => {
    const before = t.logger.lines.length;
    const output = await lambda.send(
      new InvokeCommand({
        FunctionName: t.pipeline.functionName,
        InvocationType: 'DryRun',
        // Run, this would end its worker with exit status 3, which the emulator logs.
        Payload: modeEvent('exit'),
      }),
    );
    expect(output.StatusCode).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.logger.lines.slice(before).join('\n')).not.toContain('exit status');
  });

  it('Event: 202 at once, the invocation runs in the background and its failure is logged', async () => {
    const output = await lambda.send(
      new InvokeCommand({
        FunctionName: t.pipeline.functionName,
        InvocationType: 'Event',
        Payload: modeEvent('throw'),
      }),
    );
    expect(output.StatusCode).toBe(202);
    expect(text(output.Payload)).toBe('');
    expect(await t.logger.waitFor(/Event invocation \S+ failed: Error: fixture failure/)).toContain(
      'not retried',
    );
  });
});

describe('stopping the emulator', () => {
  it('waits for an Event invocation still running', async () => {
    const own = await startTestPipeline({ handlerEntry: behaviours });
    const client = new LambdaClient(own.pipeline.lambda);
    try {
      const output = await client.send(
        new InvokeCommand({
          FunctionName: own.pipeline.functionName,
          InvocationType: 'Event',
          Payload: modeEvent('slow', { ms: '400' }),
        }),
      );
      expect(output.StatusCode).toBe(202);
    } finally {
      client.destroy();
      await own.dispose();
    }
    expect(own.logger.lines.some((line) => /Event invocation \S+ done/.test(line))).toBe(true);
  });
});

describe('GetFunction', () => {
  it('describes the function: Active, its ARN, runtime, limits and code hash', async () => {
    const { Configuration } = await lambda.send(
      new GetFunctionCommand({ FunctionName: t.pipeline.functionName }),
    );
    const bundle = await readFile(path.join(t.dir, 'build', 'handler.cjs'));
    expect(Configuration).toMatchObject({
      FunctionName: t.pipeline.functionName,
      FunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${t.pipeline.functionName}`,
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Timeout: 1,
      MemorySize: 512,
      Version: '$LATEST',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      Environment: { Variables: { BUCKET_NAME: t.pipeline.bucket } },
    });
    expect(Configuration?.CodeSha256).toBe(createHash('sha256').update(bundle).digest('base64'));
    expect(Configuration?.CodeSize).toBe(bundle.length);
    const alone = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: t.pipeline.functionName }),
    );
    expect(alone.CodeSha256).toBe(Configuration?.CodeSha256);
    const listed = await lambda.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((f) => f.FunctionName)).toEqual([t.pipeline.functionName]);
  });

  it('satisfies the SDK’s waitUntilFunctionActiveV2 at once', async () => {
    const result = await waitUntilFunctionActiveV2(
      { client: lambda, maxWaitTime: 5 },
      { FunctionName: t.pipeline.functionName },
    );
    expect(result.state).toBe('SUCCESS');
  });
});

describe('the gateway on the same port', () => {
  it('still serves the API, its key and its 403 for other paths', async () => {
    expect((await post(t.pipeline, { query: 'mode=echo' })).status).toBe(200);
    const other = await fetch(`${t.pipeline.lambda.endpoint}/2015-03-31-not-a-version/x`);
    expect(other.status).toBe(403);
  });
});
