import type { Reading } from '../../model';
import type { Clock } from '../clock';
import type { ReadingSource } from '../reading-source';

/** What both schedules need: where readings come from, how to send them, and when to stop. */
export interface ScheduleContext {
  source: ReadingSource;
  batchSize: number;
  clock: Clock;
  /** Aborted when no new request may start (Ctrl+C or --duration); sends already started go on. */
  producing: AbortSignal;
  /** Sends one request with its retries; resolves once its readings are settled, never rejects. */
  send: (batch: Reading[]) => Promise<void>;
}
