import * as z from 'zod';
import { type FieldError, toFieldErrors } from './field-errors';
import { createReadingSchema, isSameReading, type Reading } from './reading';

/** At most this many readings in one request. */
export const MAX_BATCH = 500;
/** A request body above this many bytes (1 MiB, after base64 decoding) is refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Error lists are cut here so a huge invalid body cannot produce a huge response. */
export const MAX_REPORTED_ERRORS = 100;

export type { FieldError } from './field-errors';

export type ParseResult =
  | { ok: true; readings: Reading[]; batch: boolean }
  | { ok: false; message: string; errors: FieldError[] };

const batchSizeMessage = (iss: { input?: unknown }) =>
  `a batch must hold 1 to ${MAX_BATCH} readings; got ${Array.isArray(iss.input) ? iss.input.length : 'another count'}`;

function createBatchSchema(reading: ReturnType<typeof createReadingSchema>) {
  return (
    z
      .array(reading)
      .min(1, { error: batchSizeMessage })
      .max(MAX_BATCH, { error: batchSizeMessage })
      // One id is one reading: two different readings under one id in a request cannot both be
      // stored, so the request is refused (both indexes named) before anything is written.
      .superRefine((readings, ctx) => {
        const firstIndexOfId = new Map<string, number>();
        readings.forEach((r, index) => {
          const first = firstIndexOfId.get(r.id);
          if (first === undefined) {
            firstIndexOfId.set(r.id, index);
            return;
          }
          const firstReading = readings[first];
          if (firstReading && !isSameReading(firstReading, r)) {
            ctx.addIssue({
              code: 'custom',
              path: [index, 'id'],
              message: `id ${r.id} is also used by the reading at index ${first} with different content; send one reading per id`,
            });
          }
        });
      })
  );
}

/** A body-level error: not about one reading. */
function bodyError(message: string): ParseResult {
  return { ok: false, message, errors: [{ index: null, field: null, message }] };
}

function failure(errors: FieldError[]): ParseResult {
  const first = errors[0];
  const where =
    first === undefined
      ? ''
      : ` First: ${first.index === null ? '' : `reading ${first.index}: `}${first.message}`;
  const shown =
    errors.length > MAX_REPORTED_ERRORS
      ? errors.slice(0, MAX_REPORTED_ERRORS).concat({
          index: null,
          field: null,
          message: `${errors.length - MAX_REPORTED_ERRORS} more errors not listed`,
        })
      : errors;
  return {
    ok: false,
    message: `Invalid request body (${errors.length} error${errors.length === 1 ? '' : 's'}); nothing was stored.${where}`,
    errors: shown,
  };
}

/**
 * Builds a parser for already JSON-decoded request bodies: one reading (an object) or an array of
 * 1..MAX_BATCH readings. The schemas are built once per clock (zod compiles them on first use).
 */
export function createRequestBodyParser(now: () => Date = () => new Date()) {
  const reading = createReadingSchema(now);
  const batch = createBatchSchema(reading);
  return (raw: unknown): ParseResult => {
    // Dispatch on the JSON shape rather than a zod union: a union reports both branches' errors,
    // while the sender needs only those of the shape they sent.
    if (Array.isArray(raw)) {
      const parsed = batch.safeParse(raw);
      return parsed.success
        ? { ok: true, readings: parsed.data, batch: true }
        : failure(toFieldErrors(parsed.error.issues, true));
    }
    if (typeof raw === 'object' && raw !== null) {
      const parsed = reading.safeParse(raw);
      return parsed.success
        ? { ok: true, readings: [parsed.data], batch: false }
        : failure(toFieldErrors(parsed.error.issues, false));
    }
    return bodyError(
      `The body must be one reading (a JSON object) or a JSON array of 1 to ${MAX_BATCH} readings; got ${raw === null ? 'null' : typeof raw}`,
    );
  };
}

const parseWithRealClock = createRequestBodyParser();

/** Validates a JSON-decoded request body against the contract; `now` is the receiver's time. */
export function parseRequestBody(raw: unknown, now?: Date): ParseResult {
  return now === undefined ? parseWithRealClock(raw) : createRequestBodyParser(() => now)(raw);
}
