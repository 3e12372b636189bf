import { createRequestBodyParser, type FieldError, type ParseResult } from '../../model';

export type ValidationResult = ParseResult;

/**
 * Decodes and validates a request body text: JSON first, then the contract (model/). Every
 * reading is checked before anything is written, so a 400 never leaves partial data behind.
 */
export function createBodyValidator(clock: () => Date) {
  const parse = createRequestBodyParser(clock);
  return (text: string): ValidationResult => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof SyntaxError ? error.message : String(error);
      const message = `The body is not valid JSON (${reason}); send one reading object or an array of readings`;
      const errors: FieldError[] = [{ index: null, field: null, message }];
      return { ok: false, message, errors };
    }
    return parse(raw);
  };
}
