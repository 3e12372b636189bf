import type * as z from 'zod';
import { READING_FIELDS } from './reading';

/** One problem in a request body, as the 400 response lists it. */
export interface FieldError {
  /** Position in the array; null for a single reading or a body-level error. */
  index: number | null;
  /** The reading field (or the unknown field's name); null when about the whole reading or body. */
  field: string | null;
  message: string;
}

/** Unknown field names are echoed back; a cap keeps a hostile 1 MiB key name out of the response. */
const MAX_NAME_LENGTH = 64;
const shortName = (key: string) =>
  key.length > MAX_NAME_LENGTH ? `${key.slice(0, MAX_NAME_LENGTH)}…` : key;

/** Maps zod issues to FieldErrors; `batch` says whether the first path element is an index. */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[], batch: boolean): FieldError[] {
  return issues.flatMap((issue): FieldError[] => {
    const [first, second] = issue.path;
    const index = batch && typeof first === 'number' ? first : null;
    const fieldPart = batch ? second : first;
    const field = typeof fieldPart === 'string' ? fieldPart : null;
    if (issue.code === 'unrecognized_keys') {
      // One error per unknown field, so each is named where clients look for it.
      return issue.keys.map((key) => ({
        index,
        field: shortName(key),
        message: `unknown field "${shortName(key)}"; a reading has only ${READING_FIELDS.join(', ')}`,
      }));
    }
    return [{ index, field, message: issue.message }];
  });
}
