import type { Clock } from '../../shared/clock'

/**
 * Consecutive samples: `values[i]` has sequence number `firstSeq + i` and was drawn at
 * `timesMs[i]` (Unix epoch ms, fractional). Never empty. The one shape samples have from the
 * source through the replay buffer to the wire.
 */
export interface SampleBatch {
  firstSeq: number
  values: Array<0 | 1>
  timesMs: number[]
}

/**
 * A batch as a source emits it: with the interval it was drawn at (ms), so that whoever sends it
 * on never has to ask the source for its state in the middle of a broadcast.
 */
export interface DrawnBatch extends SampleBatch {
  intervalMs: number
  /** The p every sample of the batch was drawn with; null when the source does not know it (a file). */
  p?: number | null
}

/** A snapshot of a sample source. */
export interface SourceStatus {
  running: boolean
  /** Seed of the draws (see `BernoulliSampler`); null for a source that reads a file. */
  seed?: number | null
  /** Probability of a 1, in [0, 1]; null when the source does not know it (a file). */
  p: number | null
  /** Milliseconds between samples, in [1, 60000]. */
  intervalMs: number
  /** Samples drawn since creation. */
  samplesDrawn: number
  /** Samples not drawn because the process stalled for longer than the source catches up. */
  samplesSkipped: number
  /** Sequence number of the last sample drawn; 0 before the first. */
  lastSeq: number
}

/**
 * Where the stream's samples come from: the Bernoulli sampler today, a recording played back
 * later. The service drives it and never looks behind it. Setters throw a `CodedError` on values
 * they refuse; batches go to the `onSamples` callback the source was created with, synchronously
 * and in sequence order.
 */
export interface SampleSource {
  /** Starts emitting on its schedule. No-op when running. */
  start(): void
  /** Emits what is already due, then stops. No-op when stopped. */
  stop(): void
  /** Probability of a 1 for the next draw; `E_INVALID_P` unless in [0, 1]. */
  setP(p: number): void
  /** Interval for the next sample on; `E_INVALID_INTERVAL` unless in [1, 60000] ms. */
  setIntervalMs(intervalMs: number): void
  /**
   * Step mode: emits exactly `count` samples now (1..1000, else `E_BAD_MESSAGE`), numbered on
   * from the last, timestamped now. Only while stopped: `E_RUNNING` otherwise.
   */
  draw(count: number): void
  status(): SourceStatus
  /** Sequence number the next sample will carry. */
  readonly nextSeq: number
}

/** What a {@link SampleSourceFactory} is given. */
export interface SampleSourceContext {
  clock: Clock
  /** Receives every batch, synchronously, in sequence order. */
  onSamples: (batch: DrawnBatch) => void
}

/** Creates the source behind a stream service (see `StreamServiceOptions.createSource`). */
export type SampleSourceFactory = (context: SampleSourceContext) => SampleSource
