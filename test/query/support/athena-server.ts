/**
 * A local HTTP server speaking Athena's JSON protocol (awsJson1_1: POST /, X-Amz-Target
 * AmazonAthena.<Operation>) for the three operations the kit calls. No Athena can run here, so
 * this stands in for it; the client under test is the real SDK over real HTTP.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PlannedQuery {
  /** States GetQueryExecution reports, one per call; the last one stays. */
  states: ('QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED')[];
  statementType?: 'DML' | 'DDL' | 'UTILITY';
  columns?: { name: string; type: string }[];
  /** Values as Athena returns them: text, or null for SQL NULL. */
  rows?: (string | null)[][];
  error?: { category: number; type?: number; message: string };
  /** Refuse StartQueryExecution with InvalidRequestException and this message. */
  invalid?: string;
}

export interface RecordedRequest {
  operation: string;
  body: Record<string, unknown>;
  authorization: string;
}

export interface FakeAthena {
  url: string;
  requests: RecordedRequest[];
  /** How the next queries go: called with the SQL of each StartQueryExecution. */
  plan: (sql: string) => PlannedQuery;
  pageSize: number;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

export async function startFakeAthena(): Promise<FakeAthena> {
  const executions = new Map<string, { plan: PlannedQuery; polls: number }>();
  let counter = 0;
  const fake: FakeAthena = {
    url: '',
    requests: [],
    pageSize: 1000,
    plan: () => ({ states: ['SUCCEEDED'] }),
    close: async () => undefined,
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.replace(/^AmazonAthena\./, '');
      const body = await readBody(req);
      fake.requests.push({
        operation,
        body,
        authorization: String(req.headers.authorization ?? ''),
      });
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(payload));
      };
      const clientError = (type: string, message: string) =>
        reply(400, { __type: type, Message: message });

      if (req.method !== 'POST' || !target.startsWith('AmazonAthena.')) {
        return clientError('UnknownOperationException', `not an Athena request: ${target}`);
      }
      if (operation === 'StartQueryExecution') {
        const plan = fake.plan(String(body.QueryString));
        if (plan.invalid) return clientError('InvalidRequestException', plan.invalid);
        counter += 1;
        const id = `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
        executions.set(id, { plan, polls: 0 });
        return reply(200, { QueryExecutionId: id });
      }
      const id = String(body.QueryExecutionId);
      const execution = executions.get(id);
      if (!execution)
        return clientError('InvalidRequestException', `QueryExecution ${id} was not found`);
      const { plan } = execution;
      if (operation === 'GetQueryExecution') {
        const state = plan.states[Math.min(execution.polls, plan.states.length - 1)];
        execution.polls += 1;
        return reply(200, {
          QueryExecution: {
            QueryExecutionId: id,
            StatementType: plan.statementType ?? 'DML',
            Status: {
              State: state,
              ...(state === 'FAILED' &&
                plan.error && {
                  StateChangeReason: plan.error.message,
                  AthenaError: {
                    ErrorCategory: plan.error.category,
                    ErrorType: plan.error.type ?? 1000,
                    Retryable: false,
                    ErrorMessage: plan.error.message,
                  },
                }),
            },
          },
        });
      }
      if (operation === 'GetQueryResults') {
        const columns = plan.columns ?? [];
        const header = (plan.statementType ?? 'DML') === 'DML' ? [columns.map((c) => c.name)] : [];
        const all = [...header, ...(plan.rows ?? [])];
        const offset = body.NextToken === undefined ? 0 : Number(body.NextToken);
        const size = Math.min(fake.pageSize, Number(body.MaxResults ?? 1000));
        const page = all.slice(offset, offset + size);
        const next = offset + size < all.length ? String(offset + size) : undefined;
        return reply(200, {
          ResultSet: {
            Rows: page.map((row) => ({
              Data: row.map((value) => (value === null ? {} : { VarCharValue: value })),
            })),
            ResultSetMetadata: {
              ColumnInfo: columns.map((c) => ({
                CatalogName: 'hive',
                SchemaName: '',
                TableName: '',
                Name: c.name,
                Label: c.name,
                Type: c.type,
                Precision: 0,
                Scale: 0,
                Nullable: 'UNKNOWN',
                CaseSensitive: c.type === 'varchar',
              })),
            },
          },
          UpdateCount: 0,
          ...(next !== undefined && { NextToken: next }),
        });
      }
      return clientError('UnknownOperationException', `the fake does not serve ${operation}`);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
