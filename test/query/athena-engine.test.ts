import { createAthenaEngine } from '../../query/athena-engine';
import { QueryError } from '../../query/errors';
import { type FakeAthena, startFakeAthena } from './support/athena-server';

// The Athena path against a local server speaking Athena's JSON protocol (no Athena can run here):
// the real SDK client, real HTTP, real SigV4 signing. It was never run against AWS itself.
let athena: FakeAthena;
beforeAll(async () => {
  athena = await startFakeAthena();
});
afterAll(() => athena?.close());
beforeEach(() => {
  athena.requests.length = 0;
  athena.pageSize = 1000;
});

const engine = () =>
  createAthenaEngine(
    {
      kind: 'athena',
      region: 'eu-west-1',
      workgroup: 'PushPipeline-queries',
      database: 'push_pipeline',
      endpoint: athena.url,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    },
    { firstPollMs: 5, maxPollMs: 20 },
  );

const columns = [
  { name: 'temp_group', type: 'varchar' },
  { name: 'n', type: 'bigint' },
  { name: 'avg_c', type: 'double' },
  { name: 'ok', type: 'boolean' },
];

test('starts the query in the workgroup and database, polls until it succeeds, and pages every result', async () => {
  const rows: (string | null)[][] = Array.from({ length: 7 }, (_, i) => [
    `g${i}`,
    String(i * 10),
    `${i}.5`,
    i % 2 ? 'true' : 'false',
  ]);
  rows.push(['none', null, null, null]);
  athena.pageSize = 3;
  athena.plan = () => ({ states: ['QUEUED', 'RUNNING', 'RUNNING', 'SUCCEEDED'], columns, rows });
  const sql =
    'SELECT temp_group, count(*) AS n, avg(temperature) AS avg_c, true AS ok FROM events GROUP BY 1';

  const e = engine();
  const result = await e.query(sql);
  await e.close();

  expect(result.columns).toEqual(columns);
  expect(result.rows).toHaveLength(8);
  expect(result.rows[0]).toEqual({ temp_group: 'g0', n: 0, avg_c: 0.5, ok: false });
  expect(result.rows[6]).toEqual({ temp_group: 'g6', n: 60, avg_c: 6.5, ok: false });
  expect(result.rows[7]).toEqual({ temp_group: 'none', n: null, avg_c: null, ok: null });

  const operations = athena.requests.map((r) => r.operation);
  expect(operations).toEqual([
    'StartQueryExecution',
    'GetQueryExecution',
    'GetQueryExecution',
    'GetQueryExecution',
    'GetQueryExecution',
    'GetQueryResults',
    'GetQueryResults',
    'GetQueryResults',
  ]);
  const [start, ...rest] = athena.requests;
  expect(start?.body).toEqual({
    QueryString: sql,
    WorkGroup: 'PushPipeline-queries',
    QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'push_pipeline' },
    ClientRequestToken: expect.any(String), // the SDK's idempotency token: a retried start runs once
  });
  // Every request is SigV4-signed for Athena in the target's region.
  for (const request of athena.requests) {
    expect(request.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/athena\/aws4_request/,
    );
  }
  const pages = rest.filter((r) => r.operation === 'GetQueryResults');
  expect(pages.map((p) => p.body.NextToken)).toEqual([undefined, '3', '6']);
  expect(new Set(rest.map((r) => r.body.QueryExecutionId)).size).toBe(1);
});

test('an empty result has its columns and no rows (the header row is not data)', async () => {
  athena.plan = () => ({ states: ['SUCCEEDED'], columns, rows: [] });
  const e = engine();
  expect(await e.query('SELECT * FROM events WHERE false')).toEqual({ columns, rows: [] });
  await e.close();
});

test("a query failing for the user (bad column) is a QueryError with Athena's reason", async () => {
  athena.plan = () => ({
    states: ['RUNNING', 'FAILED'],
    error: { category: 2, message: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved" },
  });
  const e = engine();
  const failure = e.query('SELECT nope FROM events');
  await expect(failure).rejects.toBeInstanceOf(QueryError);
  await expect(failure).rejects.toThrow(/Column 'nope' cannot be resolved/);
  await e.close();
});

test('SQL Athena refuses at once (InvalidRequestException) is a QueryError', async () => {
  athena.plan = () => ({ states: [], invalid: "line 1:1: mismatched input 'SELEC'" });
  const e = engine();
  await expect(e.query('SELEC 1')).rejects.toThrow(
    expect.objectContaining({
      name: 'QueryError',
      message: expect.stringMatching(/mismatched input/),
    }),
  );
  await e.close();
});

test("a failure on Athena's side is an error, not the user's", async () => {
  athena.plan = () => ({
    states: ['FAILED'],
    error: { category: 1, message: 'Internal error' },
  });
  const e = engine();
  const failure = e.query('SELECT 1');
  await expect(failure).rejects.toThrow(
    /Athena could not run the query \(FAILED\): Internal error/,
  );
  await expect(failure).rejects.not.toBeInstanceOf(QueryError);
  await e.close();
});
