import * as z from 'zod';
import type { Reading } from '../model';
import { MAX_BATCH } from '../model';
import type { Clock } from './clock';
import type { ProgressSnapshot } from './stats';

/** The CLI flag behind each option, so an error names what the user typed. */
export const FLAG_NAMES = {
  apiUrl: '--api-url',
  apiKey: '--api-key',
  nEvents: '--n-events',
  nWorkers: '--n-workers',
  minDelay: '--min-delay',
  maxDelay: '--max-delay',
  rate: '--rate',
  duration: '--duration',
  batchSize: '--batch-size',
  seed: '--seed',
  timeoutMs: '--timeout',
  maxRetries: '--max-retries',
  reportFile: '--report',
  drainTimeoutMs: 'drainTimeoutMs',
  retryBaseDelayMs: 'retryBaseDelayMs',
  retryMaxDelayMs: 'retryMaxDelayMs',
  progressIntervalMs: 'progressIntervalMs',
  signal: 'signal',
  onProgress: 'onProgress',
  clock: 'clock',
  readings: 'readings',
} as const;

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const seconds = () =>
  z
    .number({ error: 'must be a number of seconds' })
    .refine(Number.isFinite, 'must be a finite number of seconds')
    .min(0, 'must be 0 or more seconds');

const fn = <T>(what: string) =>
  z.custom<T>((v) => typeof v === 'function', `must be a function (${what})`);

export const ProducerOptionsSchema = z
  .strictObject({
    /** The events endpoint (…/prod/events) or the stage URL (…/prod), to which /events is appended. */
    apiUrl: z.url({
      protocol: /^https?$/,
      error:
        'must be an http(s) URL such as https://abc123.execute-api.eu-west-1.amazonaws.com/prod/events',
    }),
    apiKey: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
    /** Readings to send; default 200, or unlimited when `duration` is set. */
    nEvents: int(1).optional(),
    nWorkers: int(1, 1000).default(1),
    /** Seconds; default 1, or maxDelay when that is smaller. */
    minDelay: seconds().optional(),
    /** Seconds; 0 means no pause between requests. */
    maxDelay: seconds().default(5),
    /** Readings per second, open loop: requests leave on schedule whatever the response times. */
    rate: z.number({ error: 'must be a number' }).positive('must be more than 0').optional(),
    /** Seconds after which no new request is started. */
    duration: z.number({ error: 'must be a number' }).positive('must be more than 0').optional(),
    batchSize: int(1, MAX_BATCH).default(1),
    seed: int(0, 2 ** 32 - 1).optional(),
    timeoutMs: int(1, 3_600_000).default(10_000),
    maxRetries: int(0, 100).default(5),
    signal: z.instanceof(AbortSignal, { error: 'must be an AbortSignal' }).optional(),
    onProgress: fn<(snapshot: ProgressSnapshot) => void>('snapshot => void').optional(),
    reportFile: z.string().min(1, 'must be a file path').optional(),
    // For embedding and tests rather than the CLI:
    /** After `signal` aborts, how long in-flight requests may finish before they are cut (default timeoutMs). */
    drainTimeoutMs: int(0).optional(),
    /** First backoff ceiling; attempt n waits random(0 .. base * 2^n) ms, capped by retryMaxDelayMs. */
    retryBaseDelayMs: int(0).default(100),
    /** Ceiling of any one wait, Retry-After included (a server asking for an hour gets this). */
    retryMaxDelayMs: int(0).default(20_000),
    progressIntervalMs: int(10).default(250),
    clock: z
      .custom<Clock>(
        (v) => typeof v === 'object' && v !== null && 'now' in v && 'sleep' in v,
        'must be { now(): number; sleep(ms, signal?): Promise<void> }',
      )
      .optional(),
    /** Send exactly these readings (in order, unvalidated, so tests can send ones the server refuses). */
    readings: z
      .custom<readonly Reading[]>(Array.isArray, 'must be an array of readings')
      .refine((a) => a.length > 0, 'must not be empty')
      .optional(),
  })
  .superRefine((o, ctx) => {
    if (o.minDelay !== undefined && o.maxDelay > 0 && o.minDelay > o.maxDelay) {
      ctx.addIssue({
        code: 'custom',
        path: ['minDelay'],
        message: `(${o.minDelay}) must not exceed --max-delay (${o.maxDelay}); lower it or raise --max-delay`,
      });
    }
    if (o.minDelay !== undefined && o.minDelay > 0 && o.maxDelay === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['minDelay'],
        message: `(${o.minDelay}) conflicts with --max-delay 0 (no pause); drop one of them`,
      });
    }
  });

/** What callers pass: every field but apiUrl/apiKey may be left out. */
export type ProducerOptions = z.input<typeof ProducerOptionsSchema>;

/** Options after defaults: limits and delays are concrete numbers (nEvents may be Infinity). */
export type ResolvedProducerOptions = Omit<
  z.output<typeof ProducerOptionsSchema>,
  'nEvents' | 'minDelay'
> & {
  nEvents: number;
  minDelay: number;
  drainTimeoutMs: number;
};

/** A usage error: names the option (as its CLI flag) and says how to fix it. */
export class ProducerOptionsError extends Error {
  constructor(
    message: string,
    /** The flag (e.g. `--n-events`) or option name at fault. */
    readonly flag: string,
  ) {
    super(message);
    this.name = 'ProducerOptionsError';
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

/** Validates and fills defaults; throws ProducerOptionsError naming the first bad flag. */
export function resolveProducerOptions(input: ProducerOptions): ResolvedProducerOptions {
  const parsed = ProducerOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path[0];
    if (issue?.code === 'unrecognized_keys') {
      throw new ProducerOptionsError(
        `unknown option(s): ${issue.keys.join(', ')}`,
        issue.keys[0] ?? '',
      );
    }
    const flag =
      typeof key === 'string' && key in FLAG_NAMES
        ? FLAG_NAMES[key as keyof typeof FLAG_NAMES]
        : String(key);
    const raw = typeof key === 'string' ? (input as Record<string, unknown>)[key] : undefined;
    // Never echo the API key back.
    const got = key === 'apiKey' || raw === undefined ? '' : ` (got ${describe(raw)})`;
    const message =
      issue?.code === 'custom' ? issue.message : `${issue?.message ?? 'is invalid'}${got}`;
    throw new ProducerOptionsError(`${flag} ${message}`, flag);
  }
  const o = parsed.data;
  if (o.readings && o.nEvents !== undefined && o.nEvents > o.readings.length) {
    throw new ProducerOptionsError(
      `--n-events (${o.nEvents}) exceeds the ${o.readings.length} readings given; lower it or leave it out`,
      '--n-events',
    );
  }
  const nEvents =
    o.nEvents ?? o.readings?.length ?? (o.duration !== undefined ? Number.POSITIVE_INFINITY : 200);
  const minDelay = o.minDelay ?? Math.min(1, o.maxDelay);
  return { ...o, nEvents, minDelay, drainTimeoutMs: o.drainTimeoutMs ?? o.timeoutMs };
}
