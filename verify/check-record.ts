import { isSameReading, READING_FIELDS, type Reading, StoredRecordSchema } from '../model';

/** What one stored object says about the reading it should hold. */
export type RecordVerdict =
  | { kind: 'ok' }
  | { kind: 'malformed'; reason: string }
  | { kind: 'mistransformed'; fields: string[]; reason: string };

/** Fields the pipeline computes; a wrong value there is a transformation error, not a bad shape. */
const derivedFields = new Set(['temp_group', 'event_dt', 'ingestion_source', 'ingested_at']);

/**
 * Checks one stored object against the reading that was sent: JSON with the stored-record shape
 * (model/StoredRecordSchema, which also checks temp_group and event_dt against the reading), the
 * content type of the contract, the four input fields equal, and the key derived from the reading.
 */
export function checkRecord(args: {
  expected: Reading;
  expectedKey: string;
  key: string;
  contentType: string | undefined;
  body: string;
}): RecordVerdict {
  if (!/^application\/json\b/i.test(args.contentType ?? '')) {
    return {
      kind: 'malformed',
      reason: `content type is ${args.contentType ?? 'missing'}, not application/json`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(args.body);
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  const parsed = StoredRecordSchema.safeParse(json);
  if (!parsed.success) {
    const shapeIssues = parsed.error.issues.filter(
      (issue) =>
        issue.code === 'invalid_type' ||
        issue.code === 'unrecognized_keys' ||
        !derivedFields.has(String(issue.path[0])),
    );
    if (shapeIssues.length > 0) {
      return { kind: 'malformed', reason: shapeIssues.map(describeIssue).join('; ') };
    }
    return {
      kind: 'mistransformed',
      fields: [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))],
      reason: parsed.error.issues.map(describeIssue).join('; '),
    };
  }
  const stored = parsed.data;
  if (!isSameReading(stored, args.expected)) {
    const fields = READING_FIELDS.filter(
      (field) => String(stored[field]).toLowerCase() !== String(args.expected[field]).toLowerCase(),
    );
    return {
      kind: 'mistransformed',
      fields: [...fields],
      reason: `stored ${fields.map((f) => `${f}=${JSON.stringify(stored[f])}`).join(', ')} differ from the reading sent`,
    };
  }
  if (args.key !== args.expectedKey) {
    return {
      kind: 'mistransformed',
      fields: ['key'],
      reason: `stored under ${args.key}, expected ${args.expectedKey}`,
    };
  }
  return { kind: 'ok' };
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  const where = issue.path.map(String).join('.');
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}
