/**
 * The charts layer's clock: coalesces every change into at most one update per animation frame,
 * decides which chart redraws in which frame (staggering them when the stream keeps every frame
 * busy), times each frame, and publishes exactly one value per consumer — the panel, the density
 * chart, the estimate chart. A chart redraws when, and only when, its own value is replaced, so
 * a chart cannot redraw more often than the scheduler planned for it.
 */
import { credibleInterval } from '../../../shared/posterior/beta-summary'
import type { PosteriorSettings } from '../posterior/posterior-settings.svelte'
import type { TimelineEntry } from '../posterior/timeline'
import type { ServerMirror } from '../stream/server-mirror.svelte'
import { ChartStagger, type ChartName } from './chart-stagger'
import type { ChartView } from './chart-view.svelte'
import { buildDensityFrame, PriorCurves, type DensityFrame } from './density-frame'
import { buildEstimateFrame, historyView, type EstimateFrame } from './estimate-frame'
import { FrameCoalescer, type RequestFrame } from './frame-coalescer'
import { buildPanelFrame, readPosteriors, type PanelFrame, type Readings } from './panel-frame'

/** Where frames come from and where their timing goes; injected so tests step frames by hand. */
export interface FrameSchedulerDeps {
  requestFrame: RequestFrame
  /**
   * Monotonic clock (ms) telling back-to-back frames apart, for the stagger; omit to redraw
   * both charts in every frame.
   */
  frameClock?: () => number
  /** Told how long each frame's update and redraw took (ms); for the benchmark. */
  onFrameWork?: (ms: number) => void
  /** Clock for {@link onFrameWork}; default `performance.now`. */
  workClock?: () => number
}

/** What the frames are built from. */
export interface FrameSources {
  settings: PosteriorSettings
  mirror: ServerMirror
  view: ChartView
}

/** At most this many history bands (two quantile solves each) are computed per frame… */
export const BAND_BUDGET_PER_FRAME = 400
/** …and none once the frame has spent this long, ms (a replay's backlog spreads over frames). */
export const BAND_TIME_PER_FRAME_MS = 2

/** The raw strip is refreshed at most this often, ms of frame time. */
export const RAW_REFRESH_MS = 100

/** How many times each value was published, for tests and the redraw counters. */
export interface PublishCounts {
  frames: number
  panel: number
  density: number
  estimate: number
}

/** The page's frame scheduler. */
export class FrameScheduler {
  // Set in the constructor (first publish) before anything reads them.
  #panel = $state.raw<PanelFrame>()
  #density = $state.raw<DensityFrame>()
  #estimate = $state.raw<EstimateFrame>()
  #log = $state.raw<TimelineEntry[]>([])
  #logVersion = -1

  readonly #sources: FrameSources
  readonly #deps: FrameSchedulerDeps
  readonly #stagger = new ChartStagger()
  readonly #priors = new PriorCurves()
  #rawAtMs = -Infinity
  readonly #coalescer: FrameCoalescer
  readonly #counts: PublishCounts = { frames: 0, panel: 0, density: 0, estimate: 0 }
  #stale = { panel: false, density: false, estimate: false }

  constructor(sources: FrameSources, deps: FrameSchedulerDeps) {
    this.#sources = sources
    this.#deps = deps
    this.#coalescer = new FrameCoalescer(deps.requestFrame, () => this.#frame())
    sources.settings.engine.onChange(() => this.invalidate())
    sources.view.onChange((chart) => this.invalidate(chart))
    this.#publish({ density: true, estimate: true })
  }

  /** The numbers panel's value as of the last frame. */
  get panel(): PanelFrame {
    return this.#panel as PanelFrame
  }

  /** The density chart's value; replaced only in frames that redraw the density chart. */
  get density(): DensityFrame {
    return this.#density as DensityFrame
  }

  /** The estimate chart's value; replaced only in frames that redraw the estimate chart. */
  get estimate(): EstimateFrame {
    return this.#estimate as EstimateFrame
  }

  /** The change log, newest first; replaced only when it changed. */
  get log(): TimelineEntry[] {
    return this.#log
  }

  /** How often each value was published so far. */
  get counts(): Readonly<PublishCounts> {
    return this.#counts
  }

  /** True while a frame is scheduled. */
  get pending(): boolean {
    return this.#coalescer.pending
  }

  /** Something shown changed: `chart` (default everything) is redrawn at a coming frame. */
  invalidate(chart?: ChartName): void {
    this.#stale.panel = true
    if (chart !== 'estimate') this.#stale.density = true
    if (chart !== 'density') this.#stale.estimate = true
    this.#coalescer.schedule()
  }

  /** Publishes everything now instead of at the next frame (tests; a final flush). */
  flush(): void {
    this.#publish({ density: true, estimate: true })
  }

  #frame(): void {
    const clock = this.#deps.workClock ?? (() => performance.now())
    const started = clock()
    const stale = this.#stale
    if (stale.density) this.#stagger.markStale('density')
    if (stale.estimate) this.#stagger.markStale('estimate')
    this.#stale = { panel: false, density: false, estimate: false }
    const frameClock = this.#deps.frameClock
    const plan = frameClock
      ? this.#stagger.next(frameClock())
      : { density: stale.density, estimate: stale.estimate, again: false }
    const bandsPending = this.#publish(plan, clock)
    if (plan.again || bandsPending > 0) {
      // Keep drawing: a chart skipped this frame, or history bands are still being filled in.
      if (bandsPending > 0) this.#stagger.markStale('estimate')
      this.#coalescer.schedule()
    }
    const onFrameWork = this.#deps.onFrameWork
    // Svelte queued its effects (numbers, charts) as a microtask on the first write in
    // #publish; this one runs after them, so it times the whole update and redraw.
    if (onFrameWork) queueMicrotask(() => onFrameWork(clock() - started))
  }

  // Returns how many history points still lack their band.
  #publish(plan: { density: boolean; estimate: boolean }, clock?: () => number): number {
    const { settings, mirror, view } = this.#sources
    const engine = settings.engine
    const readings: Readings = readPosteriors(engine, settings.tracking)
    const trueP = mirror.trueP
    this.#counts.frames++
    // The raw strip changes at most 10 times a second: faster is a blur nobody can read, and
    // 48 cells rewritten every frame cost a visible part of it.
    const nowMs = this.#deps.frameClock?.() ?? Infinity
    const previousRaw = this.#panel?.raw
    const rawDue = !previousRaw || !(nowMs - this.#rawAtMs < RAW_REFRESH_MS)
    if (rawDue) this.#rawAtMs = nowMs
    this.#panel = buildPanelFrame(engine, readings, rawDue ? null : previousRaw)
    this.#counts.panel++
    if (engine.timeline.version !== this.#logVersion) {
      this.#logVersion = engine.timeline.version
      this.#log = engine.timeline.log.slice()
    }
    if (plan.density) {
      this.#density = buildDensityFrame(readings, engine.prior, trueP, view.density, this.#priors)
      this.#counts.density++
    }
    if (!plan.estimate) return 0
    const kinds = readings.tracking
      ? (['all', readings.tracking.kind] as const)
      : (['all'] as const)
    const deadline = clock ? clock() + BAND_TIME_PER_FRAME_MS : Infinity
    const bandsPending = engine.history.fillBands(
      historyView(view.scale),
      kinds,
      BAND_BUDGET_PER_FRAME,
      (alpha, beta) => credibleInterval(alpha, beta),
      clock ? () => clock() > deadline : undefined
    )
    this.#estimate = buildEstimateFrame({
      history: engine.history,
      scale: view.scale,
      readings,
      trials: engine.trials,
      pSteps: engine.timeline.pSteps,
      marks: engine.timeline.marks,
      trueP,
      bandsPending
    })
    this.#counts.estimate++
    return bandsPending
  }
}
