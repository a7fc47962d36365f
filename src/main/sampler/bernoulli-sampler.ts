import { CodedError, ErrorCode } from '../../shared/error-codes'
import {
  checkDrawCount,
  checkIntervalMs,
  checkP,
  DEFAULT_INTERVAL_MS,
  DEFAULT_P,
  unwrap
} from '../../shared/sampler-settings'
import type { Clock } from '../../shared/clock'
import { bernoulliAt, isSeed, MAX_SEED } from '../random/counter-random'
import type { ScenarioEngine, ScenarioUpdate } from '../scenario/scenario-engine'
import type { DrawnBatch, SampleSource, SourceStatus } from './sample-source'

/** Longest stall, in ms, whose owed samples are still drawn (see `SamplerOptions.maxCatchUpMs`). */
export const DEFAULT_MAX_CATCH_UP_MS = 5000

/** Options of {@link BernoulliSampler}. */
export interface SamplerOptions {
  clock: Clock
  /** Seed of the draws, an integer in [1, 2^32 − 1]: sample n is 1 when u(seed, n) < p. */
  seed: number
  /** Receives every batch, synchronously, in sequence order. */
  onSamples: (batch: DrawnBatch) => void
  /**
   * Receives every change a running scenario makes (p, interval, progress, its end), right after
   * the batch drawn before it, so whoever announces it does so at exactly the sample it applies to.
   */
  onScenarioUpdate?: (update: ScenarioUpdate) => void
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
 *
 * Reproducible by construction: the value of sample n is a pure function of (seed, n, p at n)
 * (a counter-based draw, see `random/counter-random`), so the same seed and the same schedule of
 * changes give the same values for the same sequence numbers, whenever a reseed happened, across
 * restarts, stalls and timer jitter. A reseed applies from the next sample.
 *
 * A scenario runs inside the draw loop, on the samples' due times rather than on timers: before
 * each sample the engine is asked what is due at that sample's position (streaming time, which
 * pauses while stopped, or samples drawn), so a change lands on exactly the scheduled sample. A
 * change at time t applies to every sample due at or after t; a new interval re-anchors the
 * schedule at t (the next sample is due at t + interval); in a samples scenario, a new interval
 * at sample K puts sample K one new interval after sample K − 1.
 */
export class BernoulliSampler implements SampleSource {
  #p: number
  #intervalMs: number
  #seed: number
  #running = false
  #nextSeq: number
  #samplesDrawn = 0
  #samplesSkipped = 0
  #anchorMs = 0
  #dueSinceAnchor = 0
  #epochOffsetMs = 0
  #timer: unknown = null
  // Streaming time: ms spent running before the current run, and where the current run began.
  #streamedMs = 0
  #runStartMs = 0
  #scenario: ScenarioEngine | null = null
  #scenarioBaseMs = 0
  #scenarioBaseSamples = 0
  readonly #clock: Clock
  readonly #onSamples: (batch: DrawnBatch) => void
  readonly #onScenarioUpdate: (update: ScenarioUpdate) => void
  readonly #maxCatchUpMs: number

  constructor(options: SamplerOptions) {
    this.#clock = options.clock
    this.#seed = checkSeed(options.seed)
    this.#onSamples = options.onSamples
    this.#onScenarioUpdate = options.onScenarioUpdate ?? (() => undefined)
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
    this.#runStartMs = now
    this.#dueSinceAnchor = 0
    this.#arm()
  }

  /** Emits the samples already owed, then stops. No-op when stopped. */
  stop(): void {
    if (!this.#running) return
    this.#drawOwed()
    this.#halt()
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
    for (let i = 0; i < checked; i++) values[i] = bernoulliAt(this.#seed, firstSeq + i, p)
    this.#nextSeq += checked
    this.#samplesDrawn += checked
    this.#onSamples({
      firstSeq,
      values,
      timesMs: new Array<number>(checked).fill(now),
      intervalMs: this.#intervalMs,
      p
    })
  }

  /**
   * Draws from `seed` from the next sample on: sample n is then u(seed, n) < p, exactly as in a
   * run started with that seed. Throws a RangeError unless an integer in [1, 2^32 − 1].
   */
  reseed(seed: number): void {
    this.#drawOwed()
    this.#seed = checkSeed(seed)
  }

  /**
   * Runs `engine` from the stream's current position (replacing any scenario running), or stops
   * running one (null). What the scenario sets at its start applies at once, before this returns.
   */
  runScenario(engine: ScenarioEngine | null): void {
    this.#drawOwed()
    this.#scenario = engine
    if (!engine) return
    this.#scenarioBaseMs = this.#elapsedAt(this.#clock.monotonicMs())
    this.#scenarioBaseSamples = this.#samplesDrawn
    const update = engine.advance({ elapsedMs: 0, samples: 0 })
    if (update) this.#apply(update, this.#clock.monotonicMs())
    if (this.#running) {
      this.#disarm()
      this.#arm()
    }
  }

  /** The scenario running, if any. */
  get scenario(): ScenarioEngine | null {
    return this.#scenario
  }

  status(): SourceStatus {
    return {
      running: this.#running,
      seed: this.#seed,
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
    if (this.#running) this.#arm()
  }

  #halt(): void {
    this.#streamedMs = this.#elapsedAt(this.#clock.monotonicMs())
    this.#running = false
    this.#disarm()
  }

  /** Streaming time (ms, pausing while stopped) at monotonic time `atMs`. */
  #elapsedAt(atMs: number): number {
    return this.#running ? this.#streamedMs + (atMs - this.#runStartMs) : this.#streamedMs
  }

  /** Monotonic time of scenario position `scenarioMs` (a seconds scenario, while running). */
  #monotonicOf(scenarioMs: number): number {
    return this.#runStartMs + scenarioMs + this.#scenarioBaseMs - this.#streamedMs
  }

  #drawOwed(): void {
    if (!this.#running) return
    const now = this.#clock.monotonicMs()
    const owed = Math.floor((now - this.#anchorMs) / this.#intervalMs) - this.#dueSinceAnchor
    const maxOwed = Math.max(1, Math.floor(this.#maxCatchUpMs / this.#intervalMs))
    if (owed > maxOwed) {
      this.#samplesSkipped += owed - maxOwed
      this.#dueSinceAnchor += owed - maxOwed
    }
    let firstSeq = this.#nextSeq
    let values: Array<0 | 1> = []
    let timesMs: number[] = []
    const emit = (): void => {
      if (values.length > 0) {
        this.#onSamples({ firstSeq, values, timesMs, intervalMs: this.#intervalMs, p: this.#p })
        values = []
        timesMs = []
      }
      firstSeq = this.#nextSeq
    }
    for (;;) {
      const nextDue = this.#anchorMs + (this.#dueSinceAnchor + 1) * this.#intervalMs
      const engine = this.#scenario
      if (engine) {
        const timed = engine.scenario.unit === 'seconds'
        const trigger = engine.nextTrigger
        const atMs = timed ? this.#monotonicOf(trigger) : nextDue
        const reached = timed
          ? atMs <= now && atMs <= nextDue
          : nextDue <= now && trigger <= this.#samplesDrawn - this.#scenarioBaseSamples
        if (reached) {
          const update = engine.advance(
            timed
              ? { elapsedMs: trigger, samples: this.#samplesDrawn - this.#scenarioBaseSamples }
              : { elapsedMs: 0, samples: this.#samplesDrawn - this.#scenarioBaseSamples }
          )
          if (update) {
            emit()
            this.#apply(update, atMs)
            if (!this.#running) return
          }
          // A trigger that did not move on would loop forever: a bug, but never a hang.
          if (engine.nextTrigger <= trigger) this.#scenario = null
          continue
        }
      }
      if (nextDue > now) break
      this.#dueSinceAnchor++
      const seq = this.#nextSeq++
      values.push(bernoulliAt(this.#seed, seq, this.#p))
      timesMs.push(this.#epochOffsetMs + nextDue)
      this.#samplesDrawn++
    }
    emit()
  }

  /** Applies a scenario's change at monotonic time `atMs` and announces it. */
  #apply(update: ScenarioUpdate, atMs: number): void {
    if (update.p !== null) this.#p = update.p
    if (update.intervalMs !== null) {
      if (this.#running) {
        const lastDue = this.#anchorMs + this.#dueSinceAnchor * this.#intervalMs
        const from =
          this.#scenario?.scenario.unit === 'seconds' && update.intervalFrom !== null
            ? this.#monotonicOf(update.intervalFrom)
            : Math.min(atMs, lastDue)
        this.#anchorMs = Math.max(lastDue, from)
        this.#dueSinceAnchor = 0
      }
      this.#intervalMs = update.intervalMs
    }
    if (update.stop && this.#running) this.#halt()
    this.#onScenarioUpdate(update)
  }

  #arm(): void {
    let nextDue = this.#anchorMs + (this.#dueSinceAnchor + 1) * this.#intervalMs
    const engine = this.#scenario
    if (engine && engine.scenario.unit === 'seconds' && Number.isFinite(engine.nextTrigger)) {
      nextDue = Math.min(nextDue, this.#monotonicOf(engine.nextTrigger))
    }
    this.#timer = this.#clock.setTimer(this.#tick, Math.max(0, nextDue - this.#clock.monotonicMs()))
  }

  #disarm(): void {
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer)
    this.#timer = null
  }
}

function checkSeed(seed: number): number {
  if (!isSeed(seed)) {
    throw new RangeError(`seed must be an integer from 1 to ${MAX_SEED}, got ${seed}`)
  }
  return seed
}
