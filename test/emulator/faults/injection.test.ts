/**
 * Fault injection through the running emulator: the HTTP control plane, and each kind of fault
 * striking real requests (the real handler, bundled, writing to the emulator's S3).
 *
 * @slow a pipeline with faults, and `npm run dev` as a process
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createReadingGenerator } from '../../../model';
import { post, rawRequest, startTestPipeline, type TestPipeline } from '../helpers';

jest.setTimeout(60_000);

const next = createReadingGenerator({ seed: 11 });
const reading = () => JSON.stringify(next());

describe('a running emulator with fault injection', () => {
  let t: TestPipeline;
  let control: string;
  beforeAll(async () => {
    t = await startTestPipeline();
    control = new URL('/_emulator/faults', t.pipeline.apiUrl).href;
  });
  afterAll(() => t?.dispose());
  afterEach(() => t.pipeline.faults.clear());

  const addOverHttp = async (spec: string) => {
    const response = await rawRequest(control, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ spec }),
    });
    return { status: response.status, body: response.json() as Record<string, unknown> };
  };

  it('serves GET/POST/DELETE /_emulator/faults without the API key, and never shadows the API', async () => {
    expect((await rawRequest(control, { method: 'GET' })).json()).toEqual({ faults: [] });
    const added = await addOverHttp('s3.put:503@0.5');
    expect(added).toEqual({
      status: 201,
      body: {
        id: expect.any(String),
        spec: 's3.put:503@0.5',
        description: 'S3 PutObject answers 503 SlowDown on 50 % of calls',
        injected: 0,
      },
    });
    const bad = await addOverHttp('s3.put:418');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/bad fault spec "s3.put:418": s3 takes the status 500, 503/);
    expect((await rawRequest(control, { method: 'POST', body: 'spec=x' })).status).toBe(400);
    expect(t.pipeline.faults.list().map((fault) => fault.spec)).toEqual(['s3.put:503@0.5']);

    expect((await rawRequest(`${control}/nope`, { method: 'DELETE' })).status).toBe(404);
    expect((await rawRequest(`${control}/${added.body.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    t.pipeline.faults.add('gateway:429');
    t.pipeline.faults.add('s3:10ms');
    expect((await rawRequest(control, { method: 'DELETE' })).status).toBe(204);
    expect((await rawRequest(control, { method: 'GET' })).json()).toEqual({ faults: [] });

    // The API's own paths are untouched: a stage path without the key is still refused.
    const apiPath = new URL(t.pipeline.apiUrl);
    const unauthorised = await rawRequest(apiPath.href, { method: 'POST', body: reading() });
    expect(unauthorised.status).toBe(403);
  });

  it('S3 PutObject answering 503 SlowDown: the handler answers 503, the retry lands once cleared', async () => {
    const fault = t.pipeline.faults.add('s3.put:503');
    const body = reading();
    const first = await post(t.pipeline, { body });
    expect(first.status).toBe(503);
    await t.logger.waitFor(new RegExp(`fault ${fault.id} injected \\(s3.put:503\\): PutObject `));
    // The handler's SDK retried SlowDown on its own before giving up: every attempt was struck.
    expect(t.pipeline.faults.list()[0]?.injected).toBeGreaterThanOrEqual(1);
    t.pipeline.faults.clear();
    const retry = await post(t.pipeline, { body });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ accepted: 1, duplicates: 0 });
  });

  it('S3 PutObject answering 500 for the next call: the SDK retry in the handler absorbs it', async () => {
    t.pipeline.faults.add('s3.put:500#1');
    const response = await post(t.pipeline, { body: reading() });
    expect(response.status).toBe(200);
    expect(t.pipeline.faults.list()).toMatchObject([{ injected: 1, remaining: 0 }]);
  });

  it('S3 latency delays the PutObject by at least the given time', async () => {
    t.pipeline.faults.add('s3.put:400ms');
    const started = performance.now();
    expect((await post(t.pipeline, { body: reading() })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
  });

  it.each([
    ['function:throw#1', 'InjectedFault'],
    ['function:exit#1', 'Runtime.ExitError'],
  ])(
    '%s: the gateway answers 502 (%s), nothing is stored, the next request works',
    async (spec, errorType) => {
      t.pipeline.faults.add(spec);
      const body = reading();
      const failed = await post(t.pipeline, { body });
      expect(failed.status).toBe(502);
      expect(await failed.json()).toEqual({ message: 'Internal server error' });
      await t.logger.waitFor(new RegExp(`function error ${errorType}`));
      const retry = await post(t.pipeline, { body });
      expect(retry.status).toBe(200);
      expect(await retry.json()).toMatchObject({ accepted: 1, duplicates: 0 });
    },
  );

  it('function.after:throw: the reading is stored but the client gets 502; its retry is a duplicate', async () => {
    t.pipeline.faults.add('function.after:throw#1');
    const body = reading();
    expect((await post(t.pipeline, { body })).status).toBe(502);
    const retry = await post(t.pipeline, { body });
    expect(await retry.json()).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('gateway:429 answers as the throttle does, without invoking the function', async () => {
    t.pipeline.faults.add('gateway:429#1');
    const throttled = await post(t.pipeline, { body: reading() });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-amzn-errortype')).toBe('ThrottlingException');
    expect(await throttled.json()).toEqual({ message: 'Too Many Requests' });
  });

  it('gateway.after:504 loses the function answer: stored, and the retry is a duplicate', async () => {
    t.pipeline.faults.add('gateway.after:504#1');
    const body = reading();
    const lost = await post(t.pipeline, { body });
    expect(lost.status).toBe(504);
    expect(await lost.json()).toEqual({ message: 'Endpoint request timed out' });
    expect(await (await post(t.pipeline, { body })).json()).toMatchObject({ duplicates: 1 });
  });
});

describe('faults given at start', () => {
  it('are active from the first request', async () => {
    const t = await startTestPipeline({ faults: ['gateway:502#1'] });
    try {
      expect((await post(t.pipeline, { body: reading() })).status).toBe(502);
      expect(t.pipeline.faults.list()).toMatchObject([{ spec: 'gateway:502#1', injected: 1 }]);
    } finally {
      await t.dispose();
    }
  });

  it('function:timeout hangs the invocation until the function timeout: 502, then the next one works', async () => {
    const t = await startTestPipeline({ functionTimeoutMs: 1500, faults: ['function:timeout#1'] });
    try {
      const body = reading();
      expect((await post(t.pipeline, { body })).status).toBe(502);
      await t.logger.waitFor(/function error Sandbox.Timedout/);
      expect(await (await post(t.pipeline, { body })).json()).toMatchObject({ accepted: 1 });
    } finally {
      await t.dispose();
    }
  });

  it('a bad spec fails start() naming the problem', async () => {
    await expect(startTestPipeline({ faults: ['s3.put:503@2'] })).rejects.toThrow(
      /bad fault spec "s3.put:503@2": the fraction after @/,
    );
  });

  it('npm run dev -- --fault <bad spec> is a usage error (exit 2) naming what is wrong', () => {
    const root = path.join(__dirname, '..', '..', '..');
    const tsx = pathToFileURL(require.resolve('tsx', { paths: [root] })).href;
    const run = spawnSync(
      process.execPath,
      ['--import', tsx, path.join(root, 'cli', 'dev.ts'), '--fault', 'function:explode'],
      { encoding: 'utf8', cwd: root },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/function takes throw, timeout, exit or a latency, not "explode"/);
  });
});
