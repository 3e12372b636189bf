import { fixture, post, startTestPipeline, type TestPipeline } from './helpers';

// Starting a pipeline bundles and cold-starts a function: slow on a busy machine, not a hang.
jest.setTimeout(30_000);

describe('graceful shutdown', () => {
  let t: TestPipeline;
  beforeAll(async () => {
    t = await startTestPipeline({ handlerEntry: fixture('behaviours.ts') });
  });
  afterAll(() => t?.dispose());

  it('lets a request in flight finish, then refuses new connections', async () => {
    // Warm a keep-alive connection first, so an idle socket exists to be closed as well.
    expect((await post(t.pipeline)).status).toBe(200);
    const inFlight = post(t.pipeline, { query: 'mode=slow&ms=300' });
    // The gateway logs each request as it arrives: stop only once this one is in.
    await t.logger.waitFor(/^-> POST \/prod\/events\?mode=slow/);
    const stopped = t.pipeline.stop();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ slept: true });
    await stopped;
    await expect(post(t.pipeline)).rejects.toThrow();
  });
});

describe('waiting for a function instance', () => {
  let t: TestPipeline;
  beforeAll(async () => {
    t = await startTestPipeline({
      handlerEntry: fixture('behaviours.ts'),
      concurrency: 1,
      integrationTimeoutMs: 300,
    });
  });
  afterAll(() => t?.dispose());

  it('counts against the integration timeout (504) when the only instance stays busy', async () => {
    const slow = post(t.pipeline, { query: 'mode=slow&ms=1000' });
    await t.logger.waitFor(/^-> POST \/prod\/events\?mode=slow/);
    const queued = await post(t.pipeline);
    expect(queued.status).toBe(504);
    expect((await slow).status).toBe(504);
  });
});
