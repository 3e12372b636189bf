import { get as httpGet } from 'node:http';
import { type StartedConsole, startConsole } from '../../console/server';
import type { FaultControl } from '../../emulator';
import { createReadingGenerator, objectKeyFor } from '../../model';
import { createQueryEngine, type QueryEngine } from '../../query';
import { post, startTestPipeline, type TestPipeline } from '../emulator/helpers';
import { readEvents, type ServerSentEvent } from './support';

// Starting a pipeline bundles and cold-starts a function: slow on a busy machine, not a hang.
jest.setTimeout(40_000);

interface Tick {
  seconds: { t: number; readings: number; requests: Record<string, number> }[];
  totals: { requests: number; readings: number; byStatus: Record<string, number> };
  latency: { p50: number | null; p99: number | null; count: number };
  requests: {
    status: number;
    readings: number;
    errors?: { index: number | null; field: string | null; message: string }[];
    conflicts?: { index: number; id: string }[];
  }[];
  logs: { source: string; level: string; message: string }[];
  faults: { id: string; spec: string }[] | null;
}

/** A response's JSON, typed as the test expects it (the assertions check the shape). */
async function jsonOf<T>(response: Response | Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}
interface Fault {
  id: string;
  spec: string;
}
interface StoredObjectBody {
  key: string;
  size: number;
  body: string;
  contentType: string;
}
interface SqlResult {
  columns: { name: string; type: string }[];
  rows: { id: string }[];
}

const parsed = (events: ServerSentEvent[]): Tick[] => events.map((e) => JSON.parse(e.data) as Tick);

describe('console data endpoints, over a running embedded pipeline', () => {
  let t: TestPipeline;
  let web: StartedConsole;
  let sql: QueryEngine;
  let faults: FaultControl;
  const next = createReadingGenerator({ seed: 7 });
  const stored = [next(), next(), next()];

  beforeAll(async () => {
    t = await startTestPipeline();
    sql = await createQueryEngine({
      kind: 'embedded',
      dataDir: t.pipeline.dataDir,
      bucket: t.pipeline.bucket,
    });
    faults = t.pipeline.faults;
    web = await startConsole({ pipeline: t.pipeline, queryRunner: sql, faults });
  });
  afterAll(async () => {
    await web?.stop();
    await sql?.close();
    await t?.dispose();
  });

  const api = (path: string, init?: RequestInit) => fetch(new URL(path, web.url), init);

  it('says where the pipeline is, with the API key masked', async () => {
    const response = await api('/api/overview');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(t.pipeline.apiKey);
    expect(JSON.parse(text)).toEqual({
      apiUrl: t.pipeline.apiUrl,
      apiKey: `${t.pipeline.apiKey.slice(0, 4)}…${t.pipeline.apiKey.slice(-4)}`,
      s3Endpoint: t.pipeline.s3.endpoint,
      bucket: t.pipeline.bucket,
      sql: true,
      faults: true,
    });
  });

  it('streams requests, counts, field errors, conflicts and function log lines live', async () => {
    const streamed = readEvents(`${web.url}api/stream`, (events) => {
      const ticks = parsed(events.filter((e) => e.event === 'tick'));
      const statuses = ticks.flatMap((tick) => tick.requests.map((r) => r.status));
      return (
        [200, 400, 409].every((s) => statuses.includes(s)) &&
        ticks.some((tick) => tick.logs.some((l) => l.message.includes('request handled')))
      );
    });
    // The stream is open once its snapshot came; give it a moment before sending.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await post(t.pipeline, { body: JSON.stringify(stored) })).status).toBe(200);
    const bad = { ...next(), temperature: 'warm' };
    expect((await post(t.pipeline, { body: JSON.stringify(bad) })).status).toBe(400);
    // Same id and epoch (so the same key, whatever the hour is now), other content: a conflict.
    const first = stored[0] ?? next();
    const conflicting = { ...first, temperature: first.temperature + 1 };
    expect((await post(t.pipeline, { body: JSON.stringify([conflicting]) })).status).toBe(409);

    const { events, raw, contentType } = await streamed;
    expect(contentType).toMatch(/^text\/event-stream/);
    expect(raw).not.toContain(t.pipeline.apiKey);
    expect(events[0]?.event).toBe('snapshot');
    const ticks = parsed(events.filter((e) => e.event === 'tick'));
    const requests = ticks.flatMap((tick) => tick.requests);
    expect(requests.find((r) => r.status === 200)?.readings).toBe(3);
    expect(requests.find((r) => r.status === 400)?.errors).toEqual([
      expect.objectContaining({ index: null, field: 'temperature' }),
    ]);
    expect(requests.find((r) => r.status === 409)?.conflicts).toEqual([
      { index: 0, id: stored[0]?.id },
    ]);
    const last = ticks.at(-1);
    expect(last?.totals).toMatchObject({
      requests: 3,
      readings: 3,
      byStatus: expect.objectContaining({ '200': 1, '400': 1, '409': 1 }),
    });
    expect(last?.latency.count).toBe(3);
    expect(last?.latency.p99).toBeGreaterThan(0);
    expect(last?.faults).toEqual([]);
    const handled = ticks.flatMap((tick) => tick.logs).filter((l) => l.source === 'function');
    expect(handled.length).toBeGreaterThanOrEqual(3);
    expect(handled.some((l) => /"status":400/.test(l.message))).toBe(true);

    // The per-second series carries the same counts once their seconds are over (what a new page
    // gets in its snapshot).
    let perSecond = 0;
    for (let attempt = 0; attempt < 30 && perSecond < 3; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const stats = (await (await api('/api/stats')).json()) as Tick;
      perSecond = stats.seconds.reduce((sum, s) => sum + s.readings, 0);
    }
    expect(perSecond).toBe(3);
    const open = await jsonOf<{ requests: { status: number }[] }>(api('/api/requests'));
    expect(open.requests.map((r) => r.status)).toEqual([200, 400, 409]);
    const logs = await jsonOf<{ lines: unknown[] }>(api('/api/logs'));
    expect(logs.lines.length).toBeGreaterThanOrEqual(3);
  });

  it('lists partitions newest first and shows a stored object as stored', async () => {
    const key = objectKeyFor(stored[0] ?? next());
    const [, dt, hour] = /dt=([\d-]+)\/hour=(\d\d)\//.exec(key) ?? [];
    const partitions = await jsonOf<{ partitions: unknown[] }>(api('/api/partitions'));
    expect(partitions.partitions).toContainEqual({
      dt,
      hour,
      prefix: `events/dt=${dt}/hour=${hour}/`,
    });

    const listing = await jsonOf<{ complete: boolean; objects: { key: string }[] }>(
      api(`/api/objects?dt=${dt}&hour=${hour}`),
    );
    expect(listing.complete).toBe(true);
    expect(listing.objects.map((o) => o.key)).toEqual(
      expect.arrayContaining(stored.map(objectKeyFor)),
    );

    const object = await jsonOf<StoredObjectBody>(
      api(`/api/object?key=${encodeURIComponent(key)}`),
    );
    expect(object).toMatchObject({ key, contentType: 'application/json' });
    expect(object.size).toBe(Buffer.byteLength(object.body));
    expect(JSON.parse(object.body)).toMatchObject({ ...stored[0], ingestion_source: 'aws-api' });

    // The live part: the keys the latest answers stored, newest first, without a listing.
    const recent = await jsonOf<{ keys: { key: string; time: number }[] }>(
      api('/api/objects/recent'),
    );
    expect(recent.keys.map((k) => k.key)).toEqual(expect.arrayContaining(stored.map(objectKeyFor)));

    expect((await api('/api/object?key=events%2Fnone.json')).status).toBe(404);
    expect((await api('/api/objects?dt=yesterday&hour=1')).status).toBe(400);
  });

  it('runs SQL through the query engine, and reports its errors', async () => {
    const response = await api('/api/sql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT * FROM push_pipeline.events LIMIT 2' }),
    });
    expect(response.status).toBe(200);
    const result = await jsonOf<SqlResult>(response);
    expect(result.columns).toContainEqual({ name: 'temperature', type: 'double' });
    expect(result.rows).toHaveLength(2);
    expect(stored.map((r) => r.id)).toEqual(expect.arrayContaining(result.rows.map((r) => r.id)));

    const refused = await api('/api/sql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT 1 FROM elsewhere' }),
    });
    expect(refused.status).toBe(400);
    expect((await jsonOf<{ message: string }>(refused)).message).toMatch(/elsewhere/);
    const notJson = await api('/api/sql', { method: 'POST', body: 'SELECT 1' });
    expect(notJson.status).toBe(415);
  });

  it('lists the faults that are on and switches them off, one or all', async () => {
    const add = (spec: string) =>
      api('/api/faults', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ spec }),
      });
    expect((await add('s3.put:503@0.5')).status).toBe(200);
    expect((await add('gateway:200ms')).status).toBe(200);
    const badSpec = await add('nonsense spec');
    expect(badSpec.status).toBe(400);
    expect((await jsonOf<{ message: string }>(badSpec)).message).toMatch(/bad fault spec/);
    const listed = await jsonOf<{ faults: Fault[] }>(api('/api/faults'));
    expect(listed.faults.map((f) => f.spec)).toEqual(['s3.put:503@0.5', 'gateway:200ms']);

    const { events } = await readEvents(`${web.url}api/stream`, (e) => e.length >= 1);
    expect(JSON.parse(events[0]?.data ?? '{}').faults).toHaveLength(2);

    const first = listed.faults[0]?.id;
    const off = await api(`/api/faults/${first}`, { method: 'DELETE' });
    expect(off.status).toBe(200);
    expect((await jsonOf<{ faults: Fault[] }>(off)).faults).toHaveLength(1);
    expect((await api(`/api/faults/${first}`, { method: 'DELETE' })).status).toBe(404);
    const allOff = await api('/api/faults', { method: 'DELETE' });
    expect((await jsonOf<{ faults: Fault[] }>(allOff)).faults).toEqual([]);
    expect(faults.list()).toEqual([]);
  });

  it('serves the page and uPlot from the repository, nothing else', async () => {
    const page = await api('/');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<script type="module" src="/app.mjs">');
    const uplot = await api('/vendor/uPlot.esm.js');
    expect(uplot.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await uplot.text()).toMatch(/export \{ uPlot as default \}|export default/);
    expect((await api('/../package.json')).status).toBe(404);
    expect((await api('/server.ts')).status).toBe(404);
  });

  it('refuses other sites and other host names', async () => {
    const foreign = await api('/api/faults', {
      method: 'DELETE',
      headers: { Origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(faults.list()).toEqual([]);
    // fetch may not set Host: a plain request does, as a DNS-rebound page's would arrive.
    const rebound = await new Promise<number>((resolve, reject) =>
      httpGet(
        {
          host: '127.0.0.1',
          port: web.port,
          path: '/api/overview',
          headers: { Host: `evil.example:${web.port}` },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      ).on('error', reject),
    );
    expect(rebound).toBe(403);
  });
});

describe('console without the optional parts', () => {
  let t: TestPipeline;
  let web: StartedConsole;
  beforeAll(async () => {
    t = await startTestPipeline();
    web = await startConsole({ pipeline: t.pipeline });
  });
  afterAll(async () => {
    await web?.stop();
    await t?.dispose();
  });

  it('answers 501 with a message for SQL and faults, and says so in the overview', async () => {
    const overview = await jsonOf<{ sql: boolean }>(fetch(`${web.url}api/overview`));
    expect(overview).toMatchObject({ sql: false, faults: false });
    const sqlResponse = await fetch(`${web.url}api/sql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT 1' }),
    });
    expect(sqlResponse.status).toBe(501);
    expect((await jsonOf<{ message: string }>(sqlResponse)).message).toMatch(
      /SQL is not available/,
    );
    const faultsResponse = await fetch(`${web.url}api/faults`);
    expect(faultsResponse.status).toBe(501);
    expect((await jsonOf<{ message: string }>(faultsResponse)).message).toMatch(
      /fault injection is not available/,
    );
  });

  it('stops listening to the pipeline when stopped', async () => {
    expect(t.pipeline.activity.observed).toBe(true);
    await web.stop();
    expect(t.pipeline.activity.observed).toBe(false);
  });
});
