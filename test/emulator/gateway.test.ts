/** @slow two cases wait out a 1.5 s integration timeout */
import { connect } from 'node:net';
import { pipelineDefinition } from '../../deployment/definition';
import { fixture, post, startTestPipeline, type TestPipeline } from './helpers';

// Starting a pipeline bundles and cold-starts a function: slow on a busy machine, not a hang.
jest.setTimeout(30_000);

// Real HTTP against the embedded gateway; the function is a fixture handler loaded the way the
// real one is (bundled, in a worker) whose behaviour the `mode` query parameter picks.
const behaviours = fixture('behaviours.ts');

const gatewayError = async (response: Response) => ({
  status: response.status,
  body: await response.json(),
  errorType: response.headers.get('x-amzn-errortype'),
  contentType: response.headers.get('content-type'),
});

describe('gateway: routes, API key, limits, function failures', () => {
  let t: TestPipeline;
  beforeAll(async () => {
    t = await startTestPipeline({
      handlerEntry: behaviours,
      integrationTimeoutMs: 5000,
      functionTimeoutMs: 400,
    });
  });
  afterAll(() => t?.dispose());

  it('answers an unknown route or method with 403 Missing Authentication Token', async () => {
    const base = t.pipeline.apiUrl.replace(/\/events$/, '');
    for (const [url, method] of [
      [`${base}/nope`, 'POST'],
      [t.pipeline.apiUrl, 'GET'],
      [t.pipeline.apiUrl, 'PUT'],
    ] as const) {
      const response = await fetch(url, { method, headers: { 'x-api-key': t.pipeline.apiKey } });
      expect(await gatewayError(response)).toEqual({
        status: 403,
        body: { message: 'Missing Authentication Token' },
        errorType: 'MissingAuthenticationTokenException',
        contentType: 'application/json',
      });
    }
  });

  it('answers a request target that is no URL with 403 Missing Authentication Token', async () => {
    const { hostname, port } = new URL(t.pipeline.apiUrl);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.end(
          `POST http://[x/prod/events HTTP/1.1\r\nHost: ${hostname}\r\nx-api-key: ${t.pipeline.apiKey}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
        );
      });
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 403 /);
    expect(reply).toContain('{"message":"Missing Authentication Token"}');
  });

  it('drops a request whose client leaves mid-body, without a failure, and serves the next', async () => {
    const { hostname, port } = new URL(t.pipeline.apiUrl);
    const path = new URL(t.pipeline.apiUrl).pathname;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nx-api-key: ${t.pipeline.apiKey}\r\ncontent-type: application/json\r\nContent-Length: 100\r\n\r\n{"id":`,
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 100);
      });
      socket.on('error', reject);
    });
    // The next request is served after the dropped one was handled (its close reached the
    // server first): only then is the absence of a failure line a finding, not a race.
    expect((await post(t.pipeline, { query: 'mode=echo' })).status).toBe(200);
    expect(t.logger.lines.filter((line) => /gateway failure/.test(line))).toEqual([]);
  });

  it('answers a missing or wrong x-api-key with 403 Forbidden', async () => {
    const missing = await fetch(t.pipeline.apiUrl, { method: 'POST', body: '{}' });
    const wrong = await post(t.pipeline, { headers: { 'x-api-key': `${t.pipeline.apiKey}x` } });
    for (const response of [missing, wrong]) {
      expect(await gatewayError(response)).toEqual({
        status: 403,
        body: { message: 'Forbidden' },
        errorType: 'ForbiddenException',
        contentType: 'application/json',
      });
    }
  });

  it('answers another stage with 403 Forbidden', async () => {
    const url = t.pipeline.apiUrl.replace(`/${pipelineDefinition.api.stage}/`, '/nostage/');
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'x-api-key': t.pipeline.apiKey },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Forbidden' });
  });

  it('serves the LocalStack-style path too', async () => {
    const { origin } = new URL(t.pipeline.apiUrl);
    const url = `${origin}/_aws/execute-api/${t.pipeline.apiId}/${pipelineDefinition.api.stage}/events`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'x-api-key': t.pipeline.apiKey },
    });
    expect(response.status).toBe(200);
  });

  it('refuses a body over the definition limit with 413, declared or streamed', async () => {
    const tooBig = Buffer.alloc(pipelineDefinition.api.maxPayloadBytes + 1, 0x61);
    const declared = await fetch(t.pipeline.apiUrl, {
      method: 'POST',
      headers: { 'x-api-key': t.pipeline.apiKey },
      body: tooBig,
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ message: 'Request Too Long' });

    const streamed = await fetch(t.pipeline.apiUrl, {
      method: 'POST',
      headers: { 'x-api-key': t.pipeline.apiKey },
      body: new Blob([tooBig]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('answers 502 Internal server error when the function throws or crashes', async () => {
    for (const mode of ['throw', 'uncaught']) {
      expect(await gatewayError(await post(t.pipeline, { query: `mode=${mode}` }))).toEqual({
        status: 502,
        body: { message: 'Internal server error' },
        errorType: 'InternalServerErrorException',
        contentType: 'application/json',
      });
    }
  });

  it.each([
    'not-object',
    'nothing',
    'status-not-integer',
    'body-not-string',
    'header-not-string',
    'extra-field',
  ])('answers 502 to a malformed proxy result (%s)', async (mode) => {
    const response = await post(t.pipeline, { query: `mode=${mode}` });
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
  });

  it('answers 502 when the function times out within the integration timeout', async () => {
    const response = await post(t.pipeline, { query: 'mode=hang' });
    expect(response.status).toBe(502);
    expect(t.logger.lines.some((line) => line.includes('Sandbox.Timedout'))).toBe(true);
  });

  it('survives process.exit in the function: 502, then the next request succeeds', async () => {
    const exited = await post(t.pipeline, { query: 'mode=exit' });
    expect(exited.status).toBe(502);
    const next = await post(t.pipeline);
    expect(next.status).toBe(200);
  });

  it('maps base64 and multi-value results back to HTTP', async () => {
    const binary = await post(t.pipeline, { query: 'mode=binary' });
    expect(binary.status).toBe(201);
    expect(binary.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await binary.arrayBuffer())]).toEqual([0, 1, 2, 255]);

    const multi = await post(t.pipeline, { query: 'mode=multi' });
    expect(multi.status).toBe(202);
    expect(multi.headers.get('x-multi')).toBe('a, b');
    expect(multi.headers.get('content-type')).toBe('application/json');
    expect(await multi.text()).toBe('plain');
  });

  it('serves concurrent requests on keep-alive connections, queueing past the concurrency', async () => {
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => post(t.pipeline, { query: 'mode=slow&ms=50' })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
  });
});

describe('gateway: integration timeout shorter than the function timeout', () => {
  let t: TestPipeline;
  beforeAll(async () => {
    // Concurrency 4: the hanging and spinning invocations keep their workers until the function
    // timeout, as Lambda keeps running after API Gateway gives up; others serve the next request.
    // Three instances are warmed below, so the request after a spinning one finds a warm
    // instance: the gateway's timeout need only cover a warm invocation on a loaded machine
    // (tens of ms; a cold start there can take a second or more).
    t = await startTestPipeline({
      handlerEntry: behaviours,
      integrationTimeoutMs: 1500,
      functionTimeoutMs: 6000,
      concurrency: 4,
    });
    // Three warm instances first: on a loaded machine a cold start alone can outlast the
    // integration timeout, and these cases are about a hanging or busy instance, not a cold one.
    // (Slow ones, so they overlap and each needs an instance of its own.)
    await Promise.all([1, 2, 3].map(() => post(t.pipeline, { query: 'mode=slow&ms=400' })));
    await t.logger.waitFor(/execution environment 3\)/);
  });
  afterAll(() => t?.dispose());

  it('answers 504 Endpoint request timed out for a hanging function', async () => {
    expect(await gatewayError(await post(t.pipeline, { query: 'mode=hang' }))).toEqual({
      status: 504,
      body: { message: 'Endpoint request timed out' },
      errorType: 'InternalServerErrorException',
      contentType: 'application/json',
    });
  });

  it('survives a busy loop: 504, then the next request succeeds', async () => {
    const busy = await post(t.pipeline, { query: 'mode=busy' });
    expect(busy.status).toBe(504);
    const next = await post(t.pipeline);
    expect(next.status).toBe(200);
  });
});

describe('gateway: usage-plan throttle', () => {
  let t: TestPipeline;
  beforeAll(async () => {
    // No refill: exactly `burstLimit` requests pass, whatever the machine's speed.
    t = await startTestPipeline({
      handlerEntry: behaviours,
      throttle: { rateLimit: 0, burstLimit: 2 },
    });
  });
  afterAll(() => t?.dispose());

  it('answers 429 Too Many Requests past the burst', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await post(t.pipeline)).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(await gatewayError(await post(t.pipeline))).toEqual({
      status: 429,
      body: { message: 'Too Many Requests' },
      errorType: 'ThrottlingException',
      contentType: 'application/json',
    });
  });

  it('checks the key before the throttle (a wrong key is 403, not 429)', async () => {
    const response = await post(t.pipeline, { headers: { 'x-api-key': 'wrong' } });
    expect(response.status).toBe(403);
  });
});
