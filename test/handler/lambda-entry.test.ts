/** @slow a batch of 500 through the real S3 endpoint */
// The Lambda entry (handler/index.ts) as Lambda calls it, wired from the environment to the
// emulator's real S3 endpoint (no SDK mocks).
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { handler } from '../../handler';
import { MAX_BODY_BYTES, objectKeyFor, StoredRecordSchema } from '../../model';
import { API_KEY, lambdaContext, proxyEvent } from './proxy-event';
import { readingNo, readingsNo } from './readings';
import { type S3Fixture, startS3Fixture, TEST_CREDENTIALS } from './s3-fixture';

// Real S3 round trips (500 PUTs for a full batch, an outage and its retries): seconds on a busy
// 2-core machine, not a hang.
jest.setTimeout(30_000);

let s3: S3Fixture;
let logLines: string[];
let writeSpies: jest.SpyInstance[];

beforeEach(async () => {
  s3 = await startS3Fixture();
  Object.assign(process.env, {
    BUCKET_NAME: s3.bucket,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_S3_FORCE_PATH_STYLE: 'true',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  });
  // The logger writes JSON lines to stdout (stderr for errors), as on Lambda: capture both and keep
  // the JSON lines (jest may print other output on the same streams).
  logLines = [];
  const capture = (chunk: string | Uint8Array) => {
    logLines.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line.startsWith('{')),
    );
    return true;
  };
  writeSpies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(capture),
    jest.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
});
afterEach(async () => {
  for (const spy of writeSpies) spy.mockRestore();
  await s3.dispose();
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, unknown>;
}

/** Calls the entry; every answer must be JSON with a JSON content type. */
async function call(event: unknown, context: Context = lambdaContext()): Promise<Answer> {
  const result: APIGatewayProxyResult = await handler(event as APIGatewayProxyEvent, context);
  const headers = result.headers ?? {};
  expect(headers['Content-Type']).toBe('application/json');
  return {
    status: result.statusCode,
    body: JSON.parse(result.body) as Record<string, unknown>,
    headers,
  };
}

describe('Lambda entry: success, duplicates, conflicts', () => {
  it('stores a single reading: 200 with accepted, duplicates, keys and the gateway request id', async () => {
    const event = proxyEvent(readingNo(1));
    const answer = await call(event);
    const key = objectKeyFor(readingNo(1));
    expect(answer).toMatchObject({
      status: 200,
      body: { accepted: 1, duplicates: 0, keys: [key], requestId: event.requestContext.requestId },
    });
    expect(await s3.listKeys()).toEqual([key]);
    const stored = StoredRecordSchema.parse(JSON.parse(await s3.getText(key)));
    expect(stored).toMatchObject({ ...readingNo(1), ingestion_source: 'aws-api' });
    expect(await s3.contentType(key)).toBe('application/json');
  });

  it('stores a batch of 500', async () => {
    const batch = readingsNo(1, 500);
    const answer = await call(proxyEvent(batch));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 500, duplicates: 0 });
    expect(await s3.listKeys()).toHaveLength(500);
    // 500 real PUTs: a budget for a loaded machine, not a speed check (that is bench/'s job).
  }, 30_000);

  it('stores ids lower-case, under a lower-case key', async () => {
    const upper = { ...readingNo(1), id: 'ABCDEF01-2345-4678-89AB-0123456789AB' };
    const answer = await call(proxyEvent(upper));
    const key = objectKeyFor({ ...upper, id: upper.id.toLowerCase() });
    expect(answer.body.keys).toEqual([key]);
    expect(JSON.parse(await s3.getText(key))).toMatchObject({ id: upper.id.toLowerCase() });
  });

  it('answers 200 with the reading counted as a duplicate when it is sent again', async () => {
    await call(proxyEvent(readingNo(1)));
    const answer = await call(proxyEvent(readingNo(1)));
    expect(answer).toMatchObject({
      status: 200,
      body: { accepted: 0, duplicates: 1, keys: [objectKeyFor(readingNo(1))] },
    });
    expect(await s3.listKeys()).toHaveLength(1);
  });

  it('writes one reading repeated in a batch once and counts the repeat as a duplicate', async () => {
    const answer = await call(proxyEvent([readingNo(1), readingNo(2), readingNo(1)]));
    expect(answer).toMatchObject({ status: 200, body: { accepted: 2, duplicates: 1 } });
    expect(await s3.listKeys()).toHaveLength(2);
  });

  it('refuses one id with two different readings in a batch (400 naming both indexes), writing nothing', async () => {
    const answer = await call(
      proxyEvent([readingNo(1), readingNo(2), readingNo(1, { temperature: 99 })]),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { index: 2, field: 'id', message: expect.stringMatching(/index 0 with different content/) },
    ]);
    expect(await s3.listKeys()).toEqual([]);
  });

  it('answers 409 for a different reading under a stored id, stores the rest, leaves the stored object byte for byte', async () => {
    await call(proxyEvent(readingNo(1)));
    const key = objectKeyFor(readingNo(1));
    const before = await s3.getText(key);
    const answer = await call(
      proxyEvent([readingNo(2), readingNo(1, { sensor_id: readingNo(9).id }), readingNo(3)]),
    );
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({
      message: expect.stringMatching(/conflict/),
      conflicts: [{ index: 1, id: readingNo(1).id, key }],
      accepted: 2,
      duplicates: 0,
    });
    expect(await s3.getText(key)).toBe(before);
    expect(await s3.listKeys()).toHaveLength(3);
  });
});

describe('Lambda entry: refusals write nothing', () => {
  it('answers 400 naming index, field and reason, and writes nothing of the batch', async () => {
    const batch: unknown[] = readingsNo(1, 10);
    batch[7] = { ...readingNo(8), temperature: 2000 };
    const answer = await call(proxyEvent(batch));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      message: expect.stringMatching(/nothing was stored/),
      errors: [{ index: 7, field: 'temperature', message: expect.stringMatching(/got 2000/) }],
    });
    expect(await s3.listKeys()).toEqual([]);
  });

  it.each([
    ['text', 'hello'],
    ['broken JSON', '[{"id": '],
  ])('answers 400 for a non-JSON body (%s)', async (_name, body) => {
    const answer = await call(proxyEvent(body));
    expect(answer).toMatchObject({
      status: 400,
      body: {
        errors: [{ index: null, field: null, message: expect.stringMatching(/not valid JSON/) }],
      },
    });
    expect(await s3.listKeys()).toEqual([]);
  });

  it('answers 400 for an empty array and for more than 500 readings', async () => {
    expect((await call(proxyEvent([]))).status).toBe(400);
    expect((await call(proxyEvent(readingsNo(1, 501)))).status).toBe(400);
    expect(await s3.listKeys()).toEqual([]);
  });

  it('answers 413 for a body over 1 MiB, plain or base64', async () => {
    const padded = `[${JSON.stringify(readingNo(1))}${' '.repeat(MAX_BODY_BYTES)}]`;
    const plain = await call(proxyEvent(padded));
    expect(plain).toMatchObject({
      status: 413,
      body: { message: expect.stringMatching(/limit is 1048576 bytes/) },
    });
    const base64 = await call(
      proxyEvent(Buffer.from(padded).toString('base64'), { isBase64Encoded: true }),
    );
    expect(base64.status).toBe(413);
    expect(await s3.listKeys()).toEqual([]);
  });

  it('accepts a base64-encoded body', async () => {
    const body = Buffer.from(JSON.stringify(readingNo(1))).toString('base64');
    expect((await call(proxyEvent(body, { isBase64Encoded: true }))).status).toBe(200);
  });

  it('answers 415 for a non-JSON content type, and reads the header case-insensitively', async () => {
    const headers = { 'content-type': 'text/plain', 'x-api-key': API_KEY };
    const refused = await call(proxyEvent(readingNo(1), { headers }));
    expect(refused).toMatchObject({
      status: 415,
      body: { message: expect.stringMatching(/not JSON/) },
    });
    expect(await s3.listKeys()).toEqual([]);
    const lower = { 'CONTENT-TYPE': 'application/json; charset=UTF-8' };
    expect((await call(proxyEvent(readingNo(1), { headers: lower }))).status).toBe(200);
  });

  it.each([
    ['null', null],
    ['a string', 'not an event'],
    ['an empty object', {}],
    ['an event with null headers', { ...proxyEvent(readingNo(1)), headers: null }],
    ['an event with no body', { ...proxyEvent(readingNo(1)), body: null }],
    ['an event whose body is an object', { ...proxyEvent(readingNo(1)), body: readingNo(1) }],
  ])('answers a clear 400 for a malformed proxy event: %s', async (_name, event) => {
    const answer = await call(event);
    expect(answer).toMatchObject({
      status: 400,
      body: { message: expect.stringMatching(/Malformed request event|no body/) },
    });
    expect(await s3.listKeys()).toEqual([]);
  });

  it('copes with a missing context, taking the request id from the event', async () => {
    const event = proxyEvent(readingNo(1));
    const answer = await call(event, undefined as unknown as Context);
    expect(answer.body.requestId).toBe(event.requestContext.requestId);
  });

  it('falls back to the Lambda request id when the event has none', async () => {
    const context = lambdaContext();
    const answer = await call({ ...proxyEvent(readingNo(1)), requestContext: undefined }, context);
    expect(answer).toMatchObject({ status: 200, body: { requestId: context.awsRequestId } });
  });
});

describe('Lambda entry: storage and configuration failures', () => {
  it('answers 500 StorageRejected, saying a retry will not help, when the bucket does not exist', async () => {
    process.env.BUCKET_NAME = 'no-such-bucket';
    const answer = await call(proxyEvent(readingNo(1)));
    expect(answer).toMatchObject({
      status: 500,
      body: {
        code: 'StorageRejected',
        message: expect.stringMatching(/deployment needs attention.*Retrying will not help/),
      },
    });
    expect(answer.headers['Retry-After']).toBeUndefined();
    expect(
      logLines.some((line) => line.includes('"level":"ERROR"') && line.includes('NoSuchBucket')),
    ).toBe(true);
  });

  it('answers 503 with Retry-After while storage is down; the same request retried completes it without duplicates', async () => {
    const batch = readingsNo(1, 40);
    // Part of the batch got in before the outage.
    expect((await call(proxyEvent(batch.slice(0, 15)))).status).toBe(200);
    await s3.stop();
    const event = proxyEvent(batch);
    const down = await call(event);
    expect(down.status).toBe(503);
    expect(down.headers['Retry-After']).toBe('1');
    expect(down.body).toMatchObject({
      code: 'StorageUnavailable',
      message: expect.stringMatching(/retry/),
    });

    await s3.restart();
    const retried = await call(event);
    expect(retried).toMatchObject({ status: 200, body: { accepted: 25, duplicates: 15 } });
    expect(await s3.listKeys()).toEqual(batch.map(objectKeyFor).sort());
  });

  it('answers 503 when the function is about to time out', async () => {
    const answer = await call(proxyEvent(readingNo(1)), lambdaContext(500));
    expect(answer.status).toBe(503);
    expect(await s3.listKeys()).toEqual([]);
  });

  it('answers 500 saying to set BUCKET_NAME when it is missing, and logs it', async () => {
    delete process.env.BUCKET_NAME;
    const answer = await call(proxyEvent(readingNo(1)));
    expect(answer).toMatchObject({
      status: 500,
      body: { message: expect.stringMatching(/set BUCKET_NAME/), code: 'FunctionNotConfigured' },
    });
    expect(
      logLines.some((line) => line.includes('"level":"ERROR"') && line.includes('set BUCKET_NAME')),
    ).toBe(true);
  });
});

describe('Lambda entry: logs', () => {
  it('logs one JSON line per request with status, counts, duration and request ids', async () => {
    const event = proxyEvent(readingsNo(1, 3));
    const context = lambdaContext();
    await call(event, context);
    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'request handled',
        requestId: event.requestContext.requestId,
        function_request_id: context.awsRequestId,
        status: 200,
        readings: 3,
        accepted: 3,
        duplicates: 0,
        durationMs: expect.any(Number),
      }),
    ]);
  });

  it('never logs the API key, whatever the outcome', async () => {
    await call(proxyEvent(readingNo(1)));
    await call(proxyEvent(readingNo(1, { temperature: 5 })));
    await call(proxyEvent('not json'));
    await call({
      ...proxyEvent(readingNo(2)),
      headers: { 'x-api-key': API_KEY, 'content-type': 'text/plain' },
    });
    await s3.stop();
    await call(proxyEvent(readingNo(3)));
    expect(logLines.length).toBeGreaterThanOrEqual(5);
    expect(logLines.join('\n')).not.toContain(API_KEY);
  });
});
