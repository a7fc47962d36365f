import type { Clock } from '../../shared/clock'
import type { DrawnBatch, SampleBatch } from '../sampler/sample-source'

/** Options of {@link JsonBatcher}. */
export interface JsonBatcherOptions {
  clock: Clock
  /** Longest time a sample waits before it goes out, ms. */
  batchMs: number
  /** Receives the samples gathered since the last flush, as one batch (never empty). */
  onFlush: (batch: SampleBatch) => void
}

/**
 * Gathers samples for the JSON and SSE clients, so that at 1 ms they get one message per
 * `batchMs` instead of one per sample. Samples drawn at an interval of `batchMs` or more go out
 * at once. Whoever must send something in order with the samples (a `state` event, an `ack`, a
 * newcomer's replay) calls {@link flush} first.
 */
export class JsonBatcher {
  readonly #options: JsonBatcherOptions
  #pending: SampleBatch[] = []
  #timer: unknown = null

  constructor(options: JsonBatcherOptions) {
    this.#options = options
  }

  /** Sequence number of the first sample not yet flushed, or null when nothing waits. */
  get pendingFrom(): number | null {
    return this.#pending[0]?.firstSeq ?? null
  }

  add(batch: DrawnBatch): void {
    this.#pending.push(batch)
    const { batchMs, clock } = this.#options
    if (batch.intervalMs >= batchMs) this.flush()
    else this.#timer ??= clock.setTimer(this.flush, batchMs)
  }

  /** Sends what waits, now, and disarms the timer. */
  flush = (): void => {
    this.#disarm()
    if (this.#pending.length === 0) return
    const batches = this.#pending
    this.#pending = []
    this.#options.onFlush(batches.length === 1 ? batches[0]! : merge(batches))
  }

  #disarm(): void {
    if (this.#timer !== null) this.#options.clock.clearTimer(this.#timer)
    this.#timer = null
  }
}

function merge(batches: readonly SampleBatch[]): SampleBatch {
  return {
    firstSeq: batches[0]!.firstSeq,
    values: batches.flatMap((b) => b.values),
    timesMs: batches.flatMap((b) => b.timesMs)
  }
}
