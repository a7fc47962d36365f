/**
 * The live posterior: counts samples as they arrive and, once per animation frame, republishes
 * the summary, the density curve and the estimate history for the panels and charts.
 * The socket handler only bumps counters here (cheap at 1000 samples/s); everything derived is
 * recomputed at most once per frame.
 */
import { betaDensityCurve, type DensityCurve } from '../../../shared/posterior/beta-density'
import {
  DEFAULT_PRIOR,
  isValidShape,
  MAX_PRIOR_SHAPE,
  posteriorShape,
  type BetaShape
} from '../../../shared/posterior/beta-posterior'
import { summarizeBeta, type BetaSummary } from '../../../shared/posterior/beta-summary'
import { EstimateHistory, type EstimatePoint } from '../lib/estimate-history'
import { formatInterval, formatShape } from '../lib/format'
import { browserRequestFrame, FrameCoalescer, type RequestFrame } from '../lib/frame-coalescer'
import { RateMeter } from '../lib/rate-meter'
import { recordFrameWork } from '../charts/chart-counters'
import { ChartStagger } from '../lib/chart-stagger'
import { loadPrior, savePrior, type KeyValueStorage } from '../lib/prior-storage'

/** Something that happened in the stream, placed at the current sample count n. */
export type StreamEvent =
  | { kind: 'p'; p: number }
  | { kind: 'interval'; intervalMs: number }
  | { kind: 'running'; running: boolean }
  /** Samples `from`..`to` will never arrive; `announced` when the server said so in a `gap`. */
  | { kind: 'gap'; from: number; to: number; announced: boolean }
  /** The server restarted (a new stream id); its run is counted from its first sample. */
  | { kind: 'restart' }

/** A line of the change log, newest first in {@link PosteriorTracker.log}. */
export interface ChangeLogEntry {
  /** Unique, increasing; a stable key for lists. */
  id: number
  /** Samples counted when it happened. */
  n: number
  /** Wall-clock time, epoch ms. */
  atMs: number
  kind: StreamEvent['kind'] | 'reset' | 'prior'
  text: string
}

/** The numbers panel's data, replaced once per frame. */
export interface PosteriorSnapshot {
  /** Samples counted since the last reset (n). */
  trials: number
  /** Ones among them. */
  successes: number
  prior: BetaShape
  /** Summary of Beta(α₀ + successes, β₀ + failures). */
  summary: BetaSummary
  /** Samples per second over the last 2 s of sample time. */
  rate: number
}

/** A point of the true-p step line: p holds from sample n on. */
export interface PStep {
  n: number
  p: number
}

/** An annotation on the estimate chart at sample n. */
export interface EstimateMark {
  n: number
  kind: 'interval' | 'gap' | 'prior'
  label: string
}

/** Everything the estimate chart draws; fresh plain arrays each time. */
export interface EstimateSeries {
  /** Recorded history plus the current estimate, ordered by n. */
  points: EstimatePoint[]
  /** True p as a step line, ending at the current n. */
  pSteps: PStep[]
  marks: EstimateMark[]
}

/** What the tracker needs from the outside, injected so tests control frames and clocks. */
export interface PosteriorDeps {
  requestFrame: RequestFrame
  /** Wall clock, epoch ms. */
  now: () => number
  /**
   * Monotonic clock (ms) for spreading the two charts over back-to-back frames; omit to redraw
   * both on every frame.
   */
  frameClock?: () => number
  /** Told how long each frame's update and redraw took (ms); for the benchmark. */
  onFrameWork?: (ms: number) => void
  /** Where the prior is kept across sessions; omit or null to keep nothing. */
  storage?: KeyValueStorage | null
}

const MAX_P_STEPS = 1000
const MAX_MARKS = 500
const MAX_LOG_ENTRIES = 100

/** The posterior of the stream's p. One instance per page: {@link posterior}. */
export class PosteriorTracker {
  #prior = $state.raw<BetaShape>(DEFAULT_PRIOR)
  #zoomed = $state(false)
  #snapshot = $state.raw<PosteriorSnapshot>()
  #density = $state.raw<DensityCurve>()
  #estimate = $state.raw<EstimateSeries>({ points: [], pSteps: [], marks: [] })
  #log = $state.raw<ChangeLogEntry[]>([])
  #frames = $state(0)

  // Hot path: plain fields, touched per sample, published per frame.
  #trials = 0
  #successes = 0
  #trueP: number | null = null
  #pSteps: PStep[] = []
  #marks: EstimateMark[] = []
  #logEntries: ChangeLogEntry[] = []
  #nextLogId = 1
  readonly #rate = new RateMeter()
  readonly #history = new EstimateHistory()
  readonly #frame: FrameCoalescer
  readonly #now: () => number
  readonly #storage: KeyValueStorage | null
  readonly #stagger = new ChartStagger()
  #dirty = false

  constructor(deps: PosteriorDeps) {
    this.#now = deps.now
    this.#storage = deps.storage ?? null
    this.#prior = loadPrior(this.#storage, MAX_PRIOR_SHAPE) ?? DEFAULT_PRIOR
    const onFrameWork = deps.onFrameWork
    const frameClock = deps.frameClock
    this.#frame = new FrameCoalescer(deps.requestFrame, () => {
      const started = performance.now()
      if (this.#dirty) this.#stagger.markStale()
      this.#dirty = false
      const plan = frameClock
        ? this.#stagger.next(frameClock())
        : { density: true, estimate: true, again: false }
      this.#publish(plan)
      if (plan.again) this.#frame.schedule()
      // Svelte queued its effects (numbers, charts) as a microtask on the first write above;
      // this one runs after them, so it times the whole update and redraw.
      if (onFrameWork) queueMicrotask(() => onFrameWork(performance.now() - started))
    })
    const { snapshot, density } = this.#compute(true)
    this.#snapshot = snapshot
    this.#density = density!
  }

  /** The prior Beta(α₀, β₀); default Beta(2, 2). */
  get prior(): BetaShape {
    return this.#prior
  }

  /** Whether the density chart shows only where the mass is (else all of [0, 1]). */
  get zoomed(): boolean {
    return this.#zoomed
  }

  /** Counts, summary and rate as of the last frame. */
  get snapshot(): PosteriorSnapshot {
    return this.#snapshot as PosteriorSnapshot
  }

  /** Density curve as of the last frame (relative density, peak 1). */
  get density(): DensityCurve {
    return this.#density as DensityCurve
  }

  /** Estimate history, true-p steps and annotations as of the last frame. */
  get estimate(): EstimateSeries {
    return this.#estimate
  }

  /** Change log, newest first, at most 100 entries. */
  get log(): ChangeLogEntry[] {
    return this.#log
  }

  /** Frames published so far (for tests and the e2e counters). */
  get frames(): number {
    return this.#frames
  }

  /** True while a frame is scheduled (there is unpublished data). */
  get framePending(): boolean {
    return this.#frame.pending
  }

  /**
   * Counts samples. Called by the stream for every fresh batch; only bumps counters.
   * @param values the batch's 0/1 values.
   * @param times their draw times, epoch ms, same length as `values`.
   * @param from index of the first sample to count (earlier ones were duplicates).
   */
  addSamples(values: ArrayLike<0 | 1>, times: ArrayLike<number>, from = 0): void {
    if (from >= values.length) return
    let ones = 0
    for (let i = from; i < values.length; i++) ones += values[i] as number
    this.#trials += values.length - from
    this.#successes += ones
    this.#rate.push(times, from)
    this.#invalidate()
  }

  /** Records a stream event at the current n (log, chart annotation, true-p step). */
  markEvent(event: StreamEvent): void {
    const n = this.#trials
    switch (event.kind) {
      case 'p': {
        const previous = this.#trueP
        if (previous === event.p) return
        this.#trueP = event.p
        pushBounded(this.#pSteps, { n, p: event.p }, MAX_P_STEPS)
        this.#addLog('p', previous === null ? `true p is ${event.p}` : `p ${previous} → ${event.p}`)
        break
      }
      case 'interval': {
        const label = `interval → ${formatInterval(event.intervalMs)}`
        pushBounded(this.#marks, { n, kind: 'interval', label }, MAX_MARKS)
        this.#addLog('interval', label)
        break
      }
      case 'running':
        this.#addLog('running', event.running ? 'stream started' : 'stream stopped')
        break
      case 'gap': {
        const count = event.to - event.from + 1
        const label = `samples ${event.from}–${event.to} lost (${count})`
        pushBounded(this.#marks, { n, kind: 'gap', label }, MAX_MARKS)
        this.#addLog('gap', event.announced ? label : `${label}, found by sequence numbers`)
        break
      }
      case 'restart':
        this.#addLog('restart', 'server restarted: its new run is counted from its first sample')
        break
    }
    this.#invalidate()
  }

  /** Zeroes the counts and the history, keeping the prior and the current true p. */
  reset(): void {
    this.#trials = 0
    this.#successes = 0
    this.#history.clear()
    this.#pSteps = this.#trueP === null ? [] : [{ n: 0, p: this.#trueP }]
    this.#marks = []
    this.#addLog('reset', 'posterior reset (prior kept)')
    this.#invalidate()
  }

  /**
   * Replaces the prior; the counts stay. Earlier history points keep the prior they were
   * computed with; the change is marked on the chart.
   * @throws RangeError unless both are finite, > 0 and ≤ {@link MAX_PRIOR_SHAPE}.
   */
  setPrior(alpha: number, beta: number): void {
    for (const v of [alpha, beta]) {
      if (!isValidShape(v) || v > MAX_PRIOR_SHAPE)
        throw new RangeError(`prior parameters must be in (0, ${MAX_PRIOR_SHAPE}], got ${v}`)
    }
    if (alpha === this.#prior.alpha && beta === this.#prior.beta) return
    this.#prior = { alpha, beta }
    savePrior(this.#storage, this.#prior)
    const label = `prior → Beta(${formatShape(alpha)}, ${formatShape(beta)})`
    pushBounded(this.#marks, { n: this.#trials, kind: 'prior', label }, MAX_MARKS)
    this.#addLog('prior', label)
    this.#invalidate()
  }

  /** Shows only the region holding the mass (true) or all of [0, 1] (false, the default). */
  setZoomed(zoomed: boolean): void {
    if (zoomed === this.#zoomed) return
    this.#zoomed = zoomed
    this.#invalidate()
  }

  /** Publishes now instead of at the next frame (tests; a final flush). */
  flush(): void {
    this.#dirty = false
    this.#publish({ density: true, estimate: true })
  }

  #compute(withDensity: boolean): { snapshot: PosteriorSnapshot; density: DensityCurve | null } {
    const shape = posteriorShape(this.#prior, this.#successes, this.#trials)
    const summary = summarizeBeta(shape.alpha, shape.beta)
    const density = withDensity
      ? betaDensityCurve(shape.alpha, shape.beta, { range: this.#zoomed ? 'mass' : 'full' })
      : null
    return {
      snapshot: {
        trials: this.#trials,
        successes: this.#successes,
        prior: this.#prior,
        summary,
        rate: this.#rate.rate()
      },
      density
    }
  }

  /** Something shown changed: redraw at the next frame. */
  #invalidate(): void {
    this.#dirty = true
    this.#frame.schedule()
  }

  #publish(plan: { density: boolean; estimate: boolean }): void {
    const { snapshot, density } = this.#compute(plan.density)
    const { summary } = snapshot
    const current: EstimatePoint = {
      n: this.#trials,
      mean: summary.mean,
      lower: summary.interval.lower,
      upper: summary.interval.upper
    }
    if (this.#trials > this.#history.lastN) this.#history.record(current)
    const points = this.#history.points()
    const last = points.at(-1)
    // The newest estimate is always drawn, recorded or not (decimation skips some).
    if (!last || last.n !== current.n || last.mean !== current.mean) points.push(current)
    const pSteps = this.#pSteps.slice()
    if (this.#trueP !== null) pSteps.push({ n: this.#trials, p: this.#trueP })

    this.#snapshot = snapshot
    if (density) this.#density = density
    if (plan.estimate) this.#estimate = { points, pSteps, marks: this.#marks.slice() }
    this.#log = this.#logEntries.slice()
    this.#frames++
  }

  #addLog(kind: ChangeLogEntry['kind'], text: string): void {
    this.#logEntries.unshift({
      id: this.#nextLogId++,
      n: this.#trials,
      atMs: this.#now(),
      kind,
      text
    })
    if (this.#logEntries.length > MAX_LOG_ENTRIES) this.#logEntries.length = MAX_LOG_ENTRIES
  }
}

function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item)
  if (list.length > max) list.splice(0, list.length - max)
}

/** The page's posterior. */
export const posterior = new PosteriorTracker({
  requestFrame: browserRequestFrame,
  now: () => Date.now(),
  frameClock: () => performance.now(),
  onFrameWork: recordFrameWork,
  storage: typeof localStorage === 'undefined' ? null : localStorage
})
