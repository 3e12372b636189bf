/** The producer's programmatic API: the CLI (producer/cli) is a thin layer over runProducer. */
export type { Clock } from './clock';
export { systemClock } from './clock';
export { maskApiKey } from './mask';
export {
  FLAG_NAMES,
  type ProducerOptions,
  ProducerOptionsError,
  ProducerOptionsSchema,
  type ResolvedProducerOptions,
  resolveProducerOptions,
} from './options';
export type { ProducerReport } from './report';
export type { ReadingOutcome } from './response-outcome';
export { runProducer } from './run';
export type { OpenLoopReport } from './schedule/open-loop';
export type { LatencySummary, ProgressSnapshot } from './stats';
export type { ProducerSummary, StopReason } from './summary';
