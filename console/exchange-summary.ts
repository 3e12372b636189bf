import type { GatewayExchange } from '../emulator/activity';
import type { FieldError } from '../model/field-errors';

/** A status as the console counts it: the ones the API answers on purpose, then 5xx, other. */
export const STATUS_CLASSES = ['200', '400', '403', '409', '413', '429', '5xx', 'other'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export function statusClassOf(status: number): StatusClass {
  if (status >= 500 && status <= 599) return '5xx';
  const named = String(status);
  return STATUS_CLASSES.find((c) => c === named) ?? 'other';
}

/** One request as the console lists it. */
export interface RequestSummary
  extends Pick<GatewayExchange, 'time' | 'requestId' | 'method' | 'path' | 'status' | 'latencyMs'> {
  /** Readings the API confirmed (accepted + duplicates) for a 200 or 409; else 0. */
  readings: number;
  /** The API's message for anything but a 200. */
  message?: string;
  /** A 400's field errors, as the API answered them (at most MAX_DETAILS). */
  errors?: FieldError[];
  /** A 409's conflicting readings (at most MAX_DETAILS). */
  conflicts?: { index: number; id: string }[];
  /** How many errors or conflicts the answer had in all. */
  detailCount?: number;
}

const MAX_DETAILS = 20;
// A 200 answer starts `{"accepted":N,"duplicates":M,` (handler/lambda/create-handler.ts): read
// without parsing the keys that follow, since this runs for every request at full speed.
const OK_PREFIX = /^\{"accepted":(\d+),"duplicates":(\d+)/;

export function summarizeExchange(exchange: GatewayExchange): RequestSummary {
  const { time, requestId, method, path, status } = exchange;
  const summary: RequestSummary = {
    time,
    requestId,
    method,
    path,
    status,
    latencyMs: Math.round(exchange.latencyMs * 10) / 10,
    readings: 0,
  };
  const body = exchange.functionBody;
  if (status === 200 && body !== undefined) {
    const match = OK_PREFIX.exec(body.toString('utf8', 0, 64));
    if (match) summary.readings = Number(match[1]) + Number(match[2]);
    return summary;
  }
  if (body === undefined) return summary;
  const parsed = parseObject(body.toString('utf8'));
  if (parsed === undefined) return summary;
  if (typeof parsed.message === 'string') summary.message = parsed.message;
  if (status === 400 && Array.isArray(parsed.errors)) {
    summary.errors = parsed.errors.slice(0, MAX_DETAILS).filter(isFieldError);
    summary.detailCount = parsed.errors.length;
  }
  if (status === 409 && Array.isArray(parsed.conflicts)) {
    summary.conflicts = parsed.conflicts
      .slice(0, MAX_DETAILS)
      .flatMap((c: unknown) =>
        isRecord(c) && typeof c.index === 'number' && typeof c.id === 'string'
          ? [{ index: c.index, id: c.id }]
          : [],
      );
    summary.detailCount = parsed.conflicts.length;
    summary.readings = count(parsed.accepted) + count(parsed.duplicates);
  }
  return summary;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFieldError(value: unknown): value is FieldError {
  return (
    isRecord(value) &&
    (typeof value.index === 'number' || value.index === null) &&
    (typeof value.field === 'string' || value.field === null) &&
    typeof value.message === 'string'
  );
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
