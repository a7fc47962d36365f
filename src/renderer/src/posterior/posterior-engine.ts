/**
 * The posterior layer's core, fed by the stream session: counts every sample into the three
 * posterior models, records the estimate history and the timeline, measures the rate. Pure and
 * synchronous (no reactivity, no timers): the charts layer reads it once per frame after
 * {@link PosteriorEngine.onChange} said something changed.
 */
import type { BetaShape } from '../../../shared/posterior/beta-posterior'
import {
  MEMORY_KINDS,
  PosteriorMemory,
  type MemoryKind
} from '../../../shared/posterior/posterior-memory'
import type { StreamChange, StreamGap, StreamSink } from '../stream/stream-events'
import { EstimateHistory } from './estimate-history'
import { RateMeter } from './rate-meter'
import { RecentSamples } from './recent-samples'
import { SampleLog } from './sample-log'
import { newShapeSnapshot } from './shape-series'
import { Timeline, type TimelineEvent, type TrackingSetting } from './timeline'

/** How the engine starts. */
export interface EngineOptions {
  prior: BetaShape
  windowSize: number
  forgetting: number
  /** W of the estimate chart's window view, in samples. */
  viewWindow?: number
  /** Wall clock, epoch ms (for the change log). */
  now: () => number
}

/** The posterior of the stream's p under every memory model, with history and timeline. */
export class PosteriorEngine implements StreamSink {
  readonly memory: PosteriorMemory
  readonly history: EstimateHistory
  readonly timeline: Timeline
  readonly rate = new RateMeter()
  readonly recent = new RecentSamples()
  /** The samples counted since the last reset (the newest of them), for download. */
  readonly samples = new SampleLog()

  #prior: BetaShape
  // Last sequence number accounted for (counted or lost), to place changes in stream order.
  #lastSeq = 0
  // First sequence number of the history this page counts: what came before (drawn before the
  // page joined and no longer held by the server, or before the user's Reset) happened at no n.
  #countFrom = 1
  readonly #snapshot = newShapeSnapshot()
  readonly #listeners = new Set<() => void>()

  constructor(options: EngineOptions) {
    this.#prior = options.prior
    this.memory = new PosteriorMemory(options.windowSize, options.forgetting)
    this.history = new EstimateHistory(options.viewWindow)
    this.timeline = new Timeline(options.now)
    this.#recordHistory()
  }

  /** The prior Beta(α₀, β₀) applied from now on. */
  get prior(): BetaShape {
    return this.#prior
  }

  /** Samples counted since the last reset (n). */
  get trials(): number {
    return this.memory.trials
  }

  /** The posterior of `kind` now. */
  shape(kind: MemoryKind): BetaShape {
    return this.memory.shape(kind, this.#prior)
  }

  /** Calls `listener` after every change; returns an unsubscribe. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  addSamples(seq: number, values: ArrayLike<0 | 1>, times: ArrayLike<number>, from: number): void {
    if (from >= values.length) return
    const { memory, history, timeline } = this
    for (let i = from; i < values.length; i++) {
      const sampleSeq = seq + i
      if (timeline.nextPendingSeq <= sampleSeq) timeline.placeUpTo(sampleSeq, memory.trials)
      const value = values[i] as 0 | 1
      memory.add(value)
      this.recent.push(sampleSeq, value)
      this.samples.push(sampleSeq, times[i] as number, value, timeline.lastP)
      if (history.wants(memory.trials)) this.#recordHistory()
    }
    this.#lastSeq = Math.max(this.#lastSeq, seq + values.length - 1)
    this.rate.push(times, from)
    this.#settle()
  }

  addGap(gap: StreamGap): void {
    if (gap.beforeJoin && this.trials === 0) this.#countFrom = Math.max(this.#countFrom, gap.to + 1)
    this.timeline.placeUpTo(gap.from, this.trials)
    this.timeline.add({ kind: 'gap', ...gap }, this.trials)
    this.#lastSeq = Math.max(this.#lastSeq, gap.to)
    this.#settle()
  }

  addChange(change: StreamChange, atSeq: number): void {
    if (change.kind === 'joined') {
      this.#lastSeq = change.afterSeq
      this.#countFrom = change.afterSeq + 1
    } else if (atSeq < this.#countFrom) {
      // Before the counted history: it still tells the p in force when counting begins.
      const p = change.kind === 'p' || change.kind === 'known' ? change.p : null
      if (p !== null) this.timeline.add({ kind: 'known', p }, this.trials)
      this.#changed()
      return
    }
    const event = timelineEvent(change)
    if (atSeq <= this.#lastSeq + 1) this.timeline.add(event, this.trials)
    else this.timeline.schedule(event, atSeq)
    this.#changed()
  }

  newRun(): void {
    // A download is one run's recording (its header names the run, --replay needs rising
    // sequence numbers), so the old run's samples go; the posterior keeps counting across.
    this.samples.clear()
    this.timeline.dropPending()
    this.timeline.add({ kind: 'restart' }, this.trials)
    this.#lastSeq = 0
    this.#countFrom = 1
    this.#changed()
  }

  restartCount(afterSeq: number): void {
    this.memory.reset()
    this.history.clear()
    this.samples.clear()
    this.rate.clear()
    this.timeline.reset()
    this.#lastSeq = afterSeq
    this.#countFrom = afterSeq + 1
    this.#recordHistory()
    this.#changed()
  }

  /** Replaces the prior from now on (history keeps the prior it was computed with). */
  setPrior(prior: BetaShape): void {
    if (prior.alpha === this.#prior.alpha && prior.beta === this.#prior.beta) return
    this.#prior = prior
    this.timeline.add({ kind: 'prior', prior }, this.trials)
    this.#changed()
  }

  /**
   * Applies the tracking model's parameters and marks the change.
   * @throws RangeError for a window size or forgetting factor out of range.
   */
  setTracking(setting: TrackingSetting): void {
    if (setting.windowSize !== this.memory.windowSize) this.memory.setWindowSize(setting.windowSize)
    if (setting.forgetting !== this.memory.forgetting) this.memory.setForgetting(setting.forgetting)
    this.timeline.add({ kind: 'memory', setting }, this.trials)
    this.#changed()
  }

  /** Changes W of the estimate chart's window view. @throws RangeError unless W ≥ 1. */
  setViewWindow(viewWindow: number): void {
    this.history.setViewWindow(viewWindow, this.trials)
    this.#changed()
  }

  // After samples or a gap: place what became due, then tell the readers.
  #settle(): void {
    this.timeline.placeUpTo(this.#lastSeq + 1, this.trials)
    this.#changed()
  }

  #recordHistory(): void {
    const snapshot = this.#snapshot
    const prior = this.#prior
    let slot = 0
    for (const kind of MEMORY_KINDS) {
      const shape = this.memory.shape(kind, prior)
      snapshot[slot++] = shape.alpha
      snapshot[slot++] = shape.beta
    }
    this.history.record(this.memory.trials, snapshot)
  }

  #changed(): void {
    for (const listener of this.#listeners) listener()
  }
}

function timelineEvent(change: StreamChange): TimelineEvent {
  switch (change.kind) {
    case 'joined':
      // p is null when the server replays a file that does not record it: no true p to draw.
      return { kind: 'joined', p: change.state.p }
    case 'p':
      return change.scenario
        ? { kind: 'p', p: change.p, previous: change.previous, scenario: change.scenario }
        : { kind: 'p', p: change.p, previous: change.previous }
    case 'interval':
      return { kind: 'interval', intervalMs: change.intervalMs, previous: change.previous }
    case 'running':
      return { kind: 'running', running: change.running }
    case 'seed':
      return { kind: 'seed', seed: change.seed }
    case 'known':
      return { kind: 'known', p: change.p }
    case 'scenario':
      return change
  }
}
