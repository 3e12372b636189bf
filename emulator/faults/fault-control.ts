/**
 * The faults active in a running emulator: set and cleared by the CLI (--fault), the program
 * (pipeline.faults) or HTTP (/_emulator/faults), drawn by the S3 endpoint, the function host and
 * the gateway at each call. Every injection is logged as such.
 */
import type { EmulatorLogger } from '../log';
import {
  describeAction,
  describeFault,
  type FaultEffect,
  type FaultSpec,
  parseFaultSpec,
  type S3Operation,
} from './spec';

export interface ActiveFault {
  readonly id: string;
  /** The spec as given, e.g. `s3.put:503@0.2`. */
  readonly spec: string;
  /** What it does, in a sentence. */
  readonly description: string;
  /** How many times it fired. */
  readonly injected: number;
  /** For `#N` faults: how many firings are left (0: spent, it fires no more). */
  readonly remaining?: number;
}

export interface FaultControl {
  list(): ActiveFault[];
  /** Adds a fault; throws FaultSpecError (its message says what is wrong) for a bad spec. */
  add(spec: string): ActiveFault;
  /** False when no fault has this id. */
  remove(id: string): boolean;
  clear(): void;
}

/** A call where faults can strike. */
export type FaultPoint =
  | { readonly service: 's3'; readonly operation: S3Operation }
  | { readonly service: 'function' | 'gateway'; readonly phase: 'before' | 'after' };

/** What to do to one call: wait, then fail this way (or not at all). */
export interface FaultDraw {
  readonly delayMs: number;
  readonly effect: Exclude<FaultEffect, { kind: 'latency' }> | undefined;
  /** The fault that chose `effect`, for messages. */
  readonly by: string | undefined;
}

interface Entry {
  readonly id: string;
  readonly spec: FaultSpec;
  readonly description: string;
  /** The description without how often: for the log line of one injection. */
  readonly action: string;
  injected: number;
}

const NO_FAULT: FaultDraw = { delayMs: 0, effect: undefined, by: undefined };

export class Faults implements FaultControl {
  readonly #entries: Entry[] = [];
  readonly #logger: EmulatorLogger;
  readonly #random: () => number;
  #nextId = 1;

  constructor(logger: EmulatorLogger, random: () => number = Math.random) {
    this.#logger = logger;
    this.#random = random;
  }

  list(): ActiveFault[] {
    return this.#entries.map((entry) => this.#view(entry));
  }

  add(spec: string): ActiveFault {
    const parsed = parseFaultSpec(spec);
    const entry: Entry = {
      id: `f${this.#nextId++}`,
      spec: parsed,
      description: describeFault(parsed),
      action: describeAction(parsed),
      injected: 0,
    };
    this.#entries.push(entry);
    this.#logger.info(`fault ${entry.id} set (${parsed.text}): ${entry.description}`);
    return this.#view(entry);
  }

  remove(id: string): boolean {
    const index = this.#entries.findIndex((entry) => entry.id === id);
    if (index === -1) return false;
    const [entry] = this.#entries.splice(index, 1);
    this.#logger.info(
      `fault ${id} removed (${entry?.spec.text}, injected ${entry?.injected} times)`,
    );
    return true;
  }

  clear(): void {
    if (this.#entries.length === 0) return;
    this.#entries.splice(0);
    this.#logger.info('faults cleared');
  }

  /**
   * The faults striking one call at `point`: every firing latency adds up; the first firing
   * error fault (in the order they were added) decides the failure. `call` names the call in
   * the log line, e.g. `PutObject events/...`.
   */
  draw(point: FaultPoint, call: string): FaultDraw {
    if (this.#entries.length === 0) return NO_FAULT;
    let delayMs = 0;
    let chosen: Entry | undefined;
    for (const entry of this.#entries) {
      const { effect } = entry.spec;
      if (!matches(entry.spec, point)) continue;
      if (effect.kind !== 'latency' && chosen !== undefined) continue;
      if (!this.#fires(entry)) continue;
      entry.injected += 1;
      // Latency is logged at debug level: on every call it would drown the log.
      const log = effect.kind === 'latency' ? this.#logger.debug : this.#logger.warn;
      log(`fault ${entry.id} injected (${entry.spec.text}): ${call}: ${entry.action}`);
      if (effect.kind === 'latency') delayMs += effect.ms;
      else chosen = entry;
    }
    if (delayMs === 0 && chosen === undefined) return NO_FAULT;
    const effect = chosen?.spec.effect;
    return {
      delayMs,
      effect: effect === undefined || effect.kind === 'latency' ? undefined : effect,
      by: chosen === undefined ? undefined : `fault ${chosen.id} (${chosen.spec.text})`,
    };
  }

  #fires(entry: Entry): boolean {
    const { trigger } = entry.spec;
    if (trigger.kind === 'always') return true;
    if (trigger.kind === 'count') return entry.injected < trigger.count;
    return this.#random() < trigger.fraction;
  }

  #view(entry: Entry): ActiveFault {
    const { trigger } = entry.spec;
    return {
      id: entry.id,
      spec: entry.spec.text,
      description: entry.description,
      injected: entry.injected,
      ...(trigger.kind === 'count' ? { remaining: trigger.count - entry.injected } : {}),
    };
  }
}

function matches(spec: FaultSpec, point: FaultPoint): boolean {
  const { target } = spec;
  if (target.service !== point.service) return false;
  if (target.service === 's3' && point.service === 's3') {
    return target.operation === undefined || target.operation === point.operation;
  }
  return target.service !== 's3' && point.service !== 's3' && target.phase === point.phase;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
