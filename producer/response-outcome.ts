import type { Reading } from '../model';
import type { HttpResult } from './http-client';

export type ReadingOutcome = 'acked' | 'duplicate' | 'failed' | 'aborted';

/** What became of each reading of one request, in the batch's order. */
export interface BatchVerdict {
  outcomes: { outcome: ReadingOutcome; reason?: string }[];
  /** Duplicates the server reported (a 200 may say "2 of 5" without saying which). */
  duplicates: number;
}

const REASON_MAX = 160;

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

function count(body: unknown, name: string): number | undefined {
  const v = field(body, name);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return Array.isArray(v) ? v.length : undefined;
}

/** The server's own words: body.message, else the text it sent, else the bare status. */
export function serverMessage(body: unknown): string | undefined {
  const message = field(body, 'message');
  const text =
    typeof message === 'string' ? message : typeof body === 'string' ? body.trim() : undefined;
  if (!text) return undefined;
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > REASON_MAX ? `${oneLine.slice(0, REASON_MAX - 1)}…` : oneLine;
}

/** Short, low-cardinality label used as the key of failedByReason. */
export function failureReason(result: HttpResult, timeoutMs: number): string {
  switch (result.kind) {
    case 'timeout':
      return `timeout (no answer within ${timeoutMs} ms)`;
    case 'network':
      return `network ${result.code}`;
    case 'aborted':
      return 'aborted';
    case 'response': {
      if (result.status === 409) return '409 conflict';
      const message = serverMessage(result.body);
      return message ? `${result.status} ${message}` : `${result.status}`;
    }
  }
}

/**
 * Ids a 409 names in `conflicts` (the handler sends {index, id, key} entries; bare id strings are
 * accepted too), lower-cased as stored.
 */
export function conflictingIds(body: unknown, batch: readonly Reading[]): Set<string> {
  const ids = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string') ids.add(v.toLowerCase());
    else if (typeof v === 'object' && v !== null) {
      const { id, index } = v as { id?: unknown; index?: unknown };
      if (typeof id === 'string') ids.add(id.toLowerCase());
      else if (typeof index === 'number' && batch[index]) ids.add(batch[index].id.toLowerCase());
    }
  };
  const list = field(body, 'conflicts');
  if (Array.isArray(list)) list.forEach(add);
  return ids;
}

/** Per-reading outcomes of a final answer (success, or a failure that will not be retried). */
export function interpretResult(
  batch: readonly Reading[],
  result: HttpResult,
  timeoutMs: number,
): BatchVerdict {
  const n = batch.length;
  if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
    const duplicates = Math.min(n, count(result.body, 'duplicates') ?? 0);
    // Only when every reading was a duplicate do we know which ones were.
    const outcome = duplicates === n ? 'duplicate' : 'acked';
    return { outcomes: batch.map(() => ({ outcome })), duplicates };
  }
  if (result.kind === 'aborted') {
    return { outcomes: batch.map(() => ({ outcome: 'aborted' })), duplicates: 0 };
  }
  const reason = failureReason(result, timeoutMs);
  if (result.kind === 'response' && result.status === 409) {
    const conflicts = conflictingIds(result.body, batch);
    if (conflicts.size === 0)
      return { outcomes: batch.map(() => ({ outcome: 'failed', reason })), duplicates: 0 };
    const stored = (count(result.body, 'accepted') ?? 0) + (count(result.body, 'duplicates') ?? 0);
    // All-or-nothing handlers store none of a conflicting batch; say so rather than claim success.
    // Count readings, not ids: a batch may carry one id twice (both copies conflict).
    const conflicted = batch.filter((r) => conflicts.has(r.id.toLowerCase())).length;
    const restStored = stored >= n - conflicted;
    return {
      outcomes: batch.map((r) =>
        conflicts.has(r.id.toLowerCase())
          ? { outcome: 'failed', reason }
          : restStored
            ? { outcome: 'acked' }
            : { outcome: 'failed', reason: '409 not stored (its batch had a conflict)' },
      ),
      duplicates: restStored ? Math.min(n, count(result.body, 'duplicates') ?? 0) : 0,
    };
  }
  return { outcomes: batch.map(() => ({ outcome: 'failed', reason })), duplicates: 0 };
}
