import type { Clock } from '../../shared/clock'
import type { SampleFile } from './sample-file'

/** Fastest replay: a million times the original pace. */
export const MAX_REPLAY_SPEED = 1_000_000
/** Most samples handed on in one tick; more due at once go out on the next turn of the loop. */
export const MAX_REPLAY_BATCH = 4096

/** Consecutive samples of a replay; one p for all (null where the file did not record it). */
export interface ReplayBatch {
  firstSeq: number
  values: Array<0 | 1>
  /** When each was due in this replay, Unix epoch ms. */
  timesMs: number[]
  p: number | null
}

/** Options of {@link FileReplay}. */
export interface FileReplayOptions {
  file: SampleFile
  clock: Clock
  /** K in (0, {@link MAX_REPLAY_SPEED}]: K times faster than recorded. Default 1. */
  speed?: number
  /** Pace of files without times (0/1 lines, CSV columns), ms between samples, before `speed`. */
  intervalMs: number
  onSamples: (batch: ReplayBatch) => void
  /** Called once, after the last sample. */
  onEnd: () => void
}

/** A snapshot of a replay. */
export interface FileReplayStatus {
  running: boolean
  done: boolean
  /** Samples handed on so far, and in the file. */
  played: number
  total: number
  /** Sequence number of the next sample (the file's own numbers for a recording, else 1…). */
  nextSeq: number
  speed: number
}

/**
 * Plays a file's samples at their recorded pace (gaps between recorded times, divided by the
 * speed) or, for files without times, one every `intervalMs / speed`. Sequence numbers are the
 * file's, so a replayed recording carries the numbers it was recorded with. Like the sampler it
 * runs on an injected clock without drift: sample i is due at `anchor + offset(i)`, and a tick
 * hands on everything due (never skipping: a replay is lossless). `stop` pauses; `start` goes on
 * from where it paused.
 */
export class FileReplay {
  readonly #file: SampleFile
  readonly #clock: Clock
  readonly #speed: number
  readonly #intervalMs: number
  readonly #onSamples: (batch: ReplayBatch) => void
  readonly #onEnd: () => void
  #next = 0
  #anchorMs = 0
  #epochOffsetMs = 0
  #running = false
  #timer: unknown = null

  constructor(options: FileReplayOptions) {
    const speed = options.speed ?? 1
    if (!(speed > 0 && speed <= MAX_REPLAY_SPEED)) {
      throw new RangeError(`speed must be above 0 and at most ${MAX_REPLAY_SPEED}, got ${speed}`)
    }
    if (!(options.intervalMs > 0)) throw new RangeError('intervalMs must be positive')
    this.#file = options.file
    this.#clock = options.clock
    this.#speed = speed
    this.#intervalMs = options.intervalMs
    this.#onSamples = options.onSamples
    this.#onEnd = options.onEnd
  }

  /** Starts (or resumes) playing; the next sample is due at once for a fresh replay. No-op when running or done. */
  start(): void {
    if (this.#running || this.#next >= this.#file.values.length) return
    this.#running = true
    const now = this.#clock.monotonicMs()
    this.#epochOffsetMs = this.#clock.epochMs() - now
    // Resuming after a pause: the next sample keeps its gap to the one before.
    const gap = this.#next === 0 ? 0 : this.#offset(this.#next) - this.#offset(this.#next - 1)
    this.#anchorMs = now - this.#offset(this.#next) + gap
    this.#arm()
  }

  /** Hands on what is already due, then pauses. No-op when stopped. */
  stop(): void {
    if (!this.#running) return
    this.#playDue(Number.POSITIVE_INFINITY)
    this.#running = false
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer)
    this.#timer = null
  }

  status(): FileReplayStatus {
    const total = this.#file.values.length
    return {
      running: this.#running,
      done: this.#next >= total,
      played: this.#next,
      total,
      nextSeq: this.#file.firstSeq + this.#next,
      speed: this.#speed
    }
  }

  /** Milliseconds from the start of the replay to sample `index`, at this speed. */
  #offset(index: number): number {
    const times = this.#file.timesMs
    if (times === null) return (index * this.#intervalMs) / this.#speed
    // Recorded clocks are monotonic; a hand-edited file that goes back in time plays at once.
    return Math.max(0, times[index]! - times[0]!) / this.#speed
  }

  #tick = (): void => {
    this.#timer = null
    if (!this.#running) return
    this.#playDue(MAX_REPLAY_BATCH)
    this.#arm()
  }

  #playDue(limit: number): void {
    const total = this.#file.values.length
    const elapsed = this.#clock.monotonicMs() - this.#anchorMs
    let end = this.#next
    let previousOffset = end > 0 ? this.#offset(end - 1) : 0
    while (end < total && end - this.#next < limit) {
      const offset = Math.max(previousOffset, this.#offset(end))
      if (offset > elapsed) break
      previousOffset = offset
      end++
    }
    if (end === this.#next) return
    const { values, p } = this.#file
    let start = this.#next
    // One batch per run of equal p, so each batch says what its samples were drawn with.
    while (start < end) {
      const pStart = p ? p[start]! : Number.NaN
      let stop = start + 1
      while (stop < end && p && Object.is(p[stop], pStart)) stop++
      const batchValues = new Array<0 | 1>(stop - start)
      const timesMs = new Array<number>(stop - start)
      for (let i = start; i < stop; i++) {
        batchValues[i - start] = values[i] as 0 | 1
        timesMs[i - start] = this.#epochOffsetMs + this.#anchorMs + this.#offset(i)
      }
      this.#next = stop
      this.#onSamples({
        firstSeq: this.#file.firstSeq + start,
        values: batchValues,
        timesMs,
        p: Number.isNaN(pStart) ? null : pStart
      })
      start = stop
    }
    if (this.#next >= total) {
      this.#running = false
      this.#onEnd()
    }
  }

  #arm(): void {
    if (!this.#running) return
    const total = this.#file.values.length
    if (this.#next >= total) return
    const due = this.#anchorMs + this.#offset(this.#next)
    this.#timer = this.#clock.setTimer(this.#tick, Math.max(0, due - this.#clock.monotonicMs()))
  }
}
