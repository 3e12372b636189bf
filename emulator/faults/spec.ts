/**
 * The fault spec grammar: `<where>:<effect>[@<fraction>|#<count>]`.
 *
 *   where     s3 | s3.put | s3.get | s3.head | s3.list | s3.delete    (s3: any of those)
 *             function | function.after                                 (after: once the handler returned)
 *             gateway | gateway.after                                   (after: once the function answered)
 *             s3.latency | function.latency | gateway.latency           (effect must be a duration)
 *   effect    s3:       500 (InternalError) | 503 (SlowDown) | <duration> (latency)
 *             function: throw | timeout | exit | <duration> (latency before the handler)
 *             gateway:  429 | 500 | 502 | 504 | <duration> (latency before the function)
 *   duration  200ms | 1.5s
 *   @0.2      on a fraction of calls (also @20%); #5 on the next 5 calls; neither: every call
 *
 * e.g. `s3.put:503@0.2`, `s3.put:500#5`, `s3:200ms`, `function:throw@0.1`, `function.after:exit#1`,
 * `gateway:429#3`, `gateway.after:504@0.05`.
 */
import * as z from 'zod';

export const S3_OPERATIONS = ['put', 'get', 'head', 'list', 'delete'] as const;
export type S3Operation = (typeof S3_OPERATIONS)[number];

export type FaultEffect =
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'latency'; readonly ms: number }
  | { readonly kind: 'throw' | 'timeout' | 'exit' };

/** Where a fault strikes: S3 (one operation or any), or the function / gateway before or after. */
export type FaultTarget =
  | { readonly service: 's3'; readonly operation: S3Operation | undefined }
  | { readonly service: 'function' | 'gateway'; readonly phase: 'before' | 'after' };

export type FaultTrigger =
  | { readonly kind: 'always' }
  | { readonly kind: 'fraction'; readonly fraction: number }
  | { readonly kind: 'count'; readonly count: number };

export interface FaultSpec {
  /** The spec as given (trimmed). */
  readonly text: string;
  readonly target: FaultTarget;
  readonly effect: FaultEffect;
  readonly trigger: FaultTrigger;
}

export const FAULT_SPEC_SYNTAX = '<where>:<effect>[@<fraction>|#<count>], e.g. s3.put:503@0.2';

export class FaultSpecError extends Error {
  constructor(spec: string, problem: string) {
    super(
      `bad fault spec "${spec}": ${problem} (syntax: ${FAULT_SPEC_SYNTAX}; see README "Fault injection")`,
    );
    this.name = 'FaultSpecError';
  }
}

const S3_STATUSES = [500, 503];
const GATEWAY_STATUSES = [429, 500, 502, 504];
const GATEWAY_AFTER_STATUSES = [500, 502, 504];
const MAX_LATENCY_MS = 10 * 60 * 1000;

const durationSchema = z
  .string()
  .regex(/^\d+(\.\d+)?(ms|s)$/, 'a duration is a number with ms or s, e.g. 200ms or 1.5s')
  .transform((text) =>
    text.endsWith('ms') ? Number(text.slice(0, -2)) : Number(text.slice(0, -1)) * 1000,
  )
  .refine(
    (ms) => ms > 0 && ms <= MAX_LATENCY_MS,
    'a latency is more than 0 and at most 10 minutes',
  );

const fractionSchema = z
  .string()
  .regex(
    /^(\d+(\.\d+)?%|0?\.\d+|1(\.0*)?|0)$/,
    'the fraction after @ is a number from 0 to 1 (0.2) or a percentage (20%)',
  )
  .transform((text) => (text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text)))
  .refine(
    (fraction) => fraction > 0 && fraction <= 1,
    'the fraction after @ is more than 0 and at most 1',
  );

const countSchema = z
  .string()
  .regex(/^[1-9]\d*$/, 'the count after # is a whole number of calls >= 1')
  .transform(Number);

/** The message of a zod failure, without zod's framing. */
function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'invalid';
}

function parseTarget(spec: string, where: string): { target: FaultTarget; latencyOnly: boolean } {
  const [service, qualifier, ...rest] = where.split('.');
  const known = `use s3, s3.<${S3_OPERATIONS.join('|')}>, function, function.after, gateway, gateway.after, or <service>.latency`;
  if (rest.length > 0) throw new FaultSpecError(spec, `unknown place "${where}": ${known}`);
  if (
    qualifier === 'latency' &&
    (service === 's3' || service === 'function' || service === 'gateway')
  ) {
    const target: FaultTarget =
      service === 's3' ? { service, operation: undefined } : { service, phase: 'before' };
    return { target, latencyOnly: true };
  }
  if (service === 's3') {
    if (qualifier === undefined)
      return { target: { service, operation: undefined }, latencyOnly: false };
    const operation = S3_OPERATIONS.find((op) => op === qualifier);
    if (operation === undefined) {
      throw new FaultSpecError(spec, `unknown S3 operation "${qualifier}": ${known}`);
    }
    return { target: { service, operation }, latencyOnly: false };
  }
  if (service === 'function' || service === 'gateway') {
    if (qualifier === undefined)
      return { target: { service, phase: 'before' }, latencyOnly: false };
    if (qualifier === 'after') return { target: { service, phase: 'after' }, latencyOnly: false };
  }
  throw new FaultSpecError(spec, `unknown place "${where}": ${known}`);
}

function parseEffect(
  spec: string,
  target: FaultTarget,
  effect: string,
  latencyOnly: boolean,
): FaultEffect {
  const place =
    target.service === 's3' ? 's3' : `${target.service}${target.phase === 'after' ? '.after' : ''}`;
  if (/^\d+(\.\d+)?(ms|s)$/.test(effect) || latencyOnly) {
    if (target.service !== 's3' && target.phase === 'after') {
      throw new FaultSpecError(spec, `${place} takes no latency (use ${target.service}:${effect})`);
    }
    const ms = durationSchema.safeParse(effect);
    if (!ms.success) throw new FaultSpecError(spec, firstIssue(ms.error));
    return { kind: 'latency', ms: ms.data };
  }
  if (target.service === 'function') {
    if (effect === 'throw' || effect === 'timeout' || effect === 'exit') return { kind: effect };
    throw new FaultSpecError(
      spec,
      `${place} takes throw, timeout, exit or a latency, not "${effect}"`,
    );
  }
  const after = target.service !== 's3' && target.phase === 'after';
  const allowed =
    target.service === 's3' ? S3_STATUSES : after ? GATEWAY_AFTER_STATUSES : GATEWAY_STATUSES;
  const status = /^\d{3}$/.test(effect) ? Number(effect) : undefined;
  if (status === undefined || !allowed.includes(status)) {
    throw new FaultSpecError(
      spec,
      `${place} takes the status ${allowed.join(', ')}${after ? '' : ' or a latency'}, not "${effect}"`,
    );
  }
  return { kind: 'status', status };
}

export function parseFaultSpec(input: string): FaultSpec {
  const text = input.trim();
  const match = /^([^:@#]+):([^@#]*)(?:([@#])(.*))?$/.exec(text);
  if (match === null) throw new FaultSpecError(text, 'expected <where>:<effect>');
  const [, where = '', effect = '', mark, amount = ''] = match;
  const { target, latencyOnly } = parseTarget(text, where.trim().toLowerCase());
  const parsedEffect = parseEffect(text, target, effect.trim().toLowerCase(), latencyOnly);
  let trigger: FaultTrigger = { kind: 'always' };
  if (mark === '@') {
    const fraction = fractionSchema.safeParse(amount.trim());
    if (!fraction.success) throw new FaultSpecError(text, firstIssue(fraction.error));
    trigger = { kind: 'fraction', fraction: fraction.data };
  } else if (mark === '#') {
    const count = countSchema.safeParse(amount.trim());
    if (!count.success) throw new FaultSpecError(text, firstIssue(count.error));
    trigger = { kind: 'count', count: count.data };
  }
  return { text, target, effect: parsedEffect, trigger };
}

const S3_NAMES: Record<S3Operation, string> = {
  put: 'PutObject',
  get: 'GetObject',
  head: 'HeadObject',
  list: 'ListObjects(V2)',
  delete: 'DeleteObject',
};

const STATUS_NAMES: Record<number, string> = {
  429: 'Too Many Requests',
  500: 'Internal server error',
  502: 'Bad Gateway',
  504: 'Endpoint request timed out',
};

/** What the fault does, in a sentence: `S3 PutObject answers 503 SlowDown on 20 % of calls`. */
export function describeFault(spec: FaultSpec): string {
  const { trigger } = spec;
  const how =
    trigger.kind === 'always'
      ? 'on every call'
      : trigger.kind === 'fraction'
        ? `on ${+(trigger.fraction * 100).toFixed(2)} % of calls`
        : trigger.count === 1
          ? 'on the next call'
          : `on the next ${trigger.count} calls`;
  return `${describeAction(spec)} ${how}`;
}

/** What the fault does to a call it strikes: `S3 PutObject answers 503 SlowDown`. */
export function describeAction(spec: FaultSpec): string {
  const { target, effect } = spec;
  let what: string;
  if (target.service === 's3') {
    const op =
      target.operation === undefined ? 'every S3 object call' : `S3 ${S3_NAMES[target.operation]}`;
    what =
      effect.kind === 'latency'
        ? `${op} is delayed ${effect.ms} ms`
        : `${op} answers ${effect.kind === 'status' ? effect.status : ''} ${effect.kind === 'status' && effect.status === 503 ? 'SlowDown' : 'InternalError'}`;
  } else if (target.service === 'function') {
    const when =
      target.phase === 'after'
        ? 'after the handler returned (its result is lost)'
        : 'before the handler runs';
    what =
      effect.kind === 'latency'
        ? `the function starts ${effect.ms} ms late`
        : effect.kind === 'throw'
          ? `the function throws ${when}`
          : effect.kind === 'exit'
            ? `the function's runtime exits ${when}`
            : `the function hangs until its timeout ${when}`;
  } else {
    const when =
      target.phase === 'after'
        ? ' after the function answered (its answer is lost)'
        : ' without invoking the function';
    what =
      effect.kind === 'latency'
        ? `the gateway waits ${effect.ms} ms before invoking the function`
        : `the gateway answers ${effect.kind === 'status' ? `${effect.status} ${STATUS_NAMES[effect.status] ?? ''}` : ''}${when}`;
  }
  return what.replace(/\s+/g, ' ').trim();
}
