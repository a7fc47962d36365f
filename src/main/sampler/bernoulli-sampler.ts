import { CodedError, ErrorCode } from '../../shared/error-codes'
import {
  checkDrawCount,
  checkIntervalMs,
  checkP,
  DEFAULT_INTERVAL_MS,
  DEFAULT_P,
  unwrap
} from '../../shared/sampler-settings'
import type { Clock } from '../clock'
import type { RandomSource } from './random-source'
import type { DrawnBatch, SampleSource, SourceStatus } from './sample-source'

/** Longest stall, in ms, whose owed samples are still drawn (see `SamplerOptions.maxCatchUpMs`). */
export const DEFAULT_MAX_CATCH_UP_MS = 5000

/** Options of {@link BernoulliSampler}. */
export interface SamplerOptions {
  clock: Clock
  random: RandomSource
  /** Receives every batch, synchronously, in sequence order. */
  onSamples: (batch: DrawnBatch) => void
  /** Initial p in [0, 1]. Default {@link DEFAULT_P}. */
  p?: number
  /** Initial interval in ms, in [1, 60000]. Default {@link DEFAULT_INTERVAL_MS}. */
  intervalMs?: number
  /**
   * After a stall (a suspended laptop, a debugger), samples owed for longer than this many
   * milliseconds are skipped rather than flooded out at once. Default {@link DEFAULT_MAX_CATCH_UP_MS}.
   */
  maxCatchUpMs?: number
  /** First sequence number. Default 1. */
  firstSeq?: number
}

/**
 * Draws Bernoulli(p) samples on a fixed schedule without drift.
 *
 * Sample k after the anchor is due at `anchor + k · interval`, computed from the anchor rather
 * than accumulated, so late timers never shift the schedule: a tick emits every sample owed up
 * to now as one batch (each with its own due time and sequence number) and arms one timer for
 * the next due time. Changing the interval re-anchors at the last sample, so the change applies
 * from the next sample on; changing p applies to the next draw.
 */
export class BernoulliSampler implements SampleSource {
  #p: number
  #intervalMs: number
  #running = false
  #nextSeq: number
  #samplesDrawn = 0
  #samplesSkipped = 0
  #anchorMs = 0
  #dueSinceAnchor = 0
  #epochOffsetMs = 0
  #timer: unknown = null
  readonly #clock: Clock
  readonly #random: RandomSource
  readonly #onSamples: (batch: DrawnBatch) => void
  readonly #maxCatchUpMs: number

  constructor(options: SamplerOptions) {
    this.#clock = options.clock
    this.#random = options.random
    this.#onSamples = options.onSamples
    this.#p = unwrap(checkP(options.p ?? DEFAULT_P))
    this.#intervalMs = unwrap(checkIntervalMs(options.intervalMs ?? DEFAULT_INTERVAL_MS))
    this.#maxCatchUpMs = options.maxCatchUpMs ?? DEFAULT_MAX_CATCH_UP_MS
    if (!(this.#maxCatchUpMs > 0)) throw new RangeError('maxCatchUpMs must be positive')
    this.#nextSeq = options.firstSeq ?? 1
    if (!Number.isSafeInteger(this.#nextSeq) || this.#nextSeq < 1) {
      throw new RangeError('firstSeq must be a positive integer')
    }
  }

  /** Starts drawing; the first sample is due one interval from now. No-op when running. */
  start(): void {
    if (this.#running) return
    this.#running = true
    const now = this.#clock.monotonicMs()
    this.#epochOffsetMs = this.#clock.epochMs() - now
    this.#anchorMs = now
    this.#dueSinceAnchor = 0
    this.#arm()
  }

  /** Emits the samples already owed, then stops. No-op when stopped. */
  stop(): void {
    if (!this.#running) return
    this.#drawOwed()
    this.#running = false
    this.#disarm()
  }

  /** Sets p for the next draw. Throws a CodedError `E_INVALID_P` unless p ∈ [0, 1]. */
  setP(p: number): void {
    this.#p = unwrap(checkP(p))
  }

  /**
   * Sets the interval: the next sample is due one new interval after the last one (or now, if
   * that moment has already passed). Throws a CodedError `E_INVALID_INTERVAL` unless in [1, 60000].
   */
  setIntervalMs(intervalMs: number): void {
    const checked = unwrap(checkIntervalMs(intervalMs))
    if (!this.#running) {
      this.#intervalMs = checked
      return
    }
    this.#drawOwed()
    const lastDue = this.#anchorMs + this.#dueSinceAnchor * this.#intervalMs
    const now = this.#clock.monotonicMs()
    this.#intervalMs = checked
    this.#anchorMs = Math.max(lastDue, now - checked)
    this.#dueSinceAnchor = 0
    this.#disarm()
    this.#arm()
  }

  /**
   * Step mode: draws exactly `count` samples now, with the current p, each timestamped now.
   * Throws a CodedError: `E_RUNNING` while running, `E_BAD_MESSAGE` unless count is a whole
   * number in [1, 1000].
   */
  draw(count: number): void {
    const checked = unwrap(checkDrawCount(count))
    if (this.#running) {
      throw new CodedError(
        ErrorCode.Running,
        'draw works only while stopped; stop the stream first'
      )
    }
    const firstSeq = this.#nextSeq
    const now = this.#clock.epochMs()
    const values = new Array<0 | 1>(checked)
    const p = this.#p
    for (let i = 0; i < checked; i++) values[i] = this.#random() < p ? 1 : 0
    this.#nextSeq += checked
    this.#samplesDrawn += checked
    this.#onSamples({
      firstSeq,
      values,
      timesMs: new Array<number>(checked).fill(now),
      intervalMs: this.#intervalMs
    })
  }

  status(): SourceStatus {
    return {
      running: this.#running,
      p: this.#p,
      intervalMs: this.#intervalMs,
      samplesDrawn: this.#samplesDrawn,
      samplesSkipped: this.#samplesSkipped,
      lastSeq: this.#nextSeq - 1
    }
  }

  /** Sequence number the next sample will carry. */
  get nextSeq(): number {
    return this.#nextSeq
  }

  #tick = (): void => {
    this.#timer = null
    if (!this.#running) return
    this.#drawOwed()
    this.#arm()
  }

  #drawOwed(): void {
    const now = this.#clock.monotonicMs()
    const interval = this.#intervalMs
    const dueByNow = Math.floor((now - this.#anchorMs) / interval)
    let owed = dueByNow - this.#dueSinceAnchor
    if (owed <= 0) return
    const maxOwed = Math.max(1, Math.floor(this.#maxCatchUpMs / interval))
    if (owed > maxOwed) {
      this.#samplesSkipped += owed - maxOwed
      this.#dueSinceAnchor += owed - maxOwed
      owed = maxOwed
    }
    const firstSeq = this.#nextSeq
    const values = new Array<0 | 1>(owed)
    const timesMs = new Array<number>(owed)
    const p = this.#p
    for (let i = 0; i < owed; i++) {
      this.#dueSinceAnchor++
      values[i] = this.#random() < p ? 1 : 0
      timesMs[i] = this.#epochOffsetMs + this.#anchorMs + this.#dueSinceAnchor * interval
    }
    this.#nextSeq += owed
    this.#samplesDrawn += owed
    this.#onSamples({ firstSeq, values, timesMs, intervalMs: interval })
  }

  #arm(): void {
    const nextDue = this.#anchorMs + (this.#dueSinceAnchor + 1) * this.#intervalMs
    this.#timer = this.#clock.setTimer(this.#tick, Math.max(0, nextDue - this.#clock.monotonicMs()))
  }

  #disarm(): void {
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer)
    this.#timer = null
  }
}
