/**
 * The estimate over time, kept three ways so each view of the chart is sharp at any n while
 * memory and drawing cost stay bounded (a few thousand points whatever n is):
 * - `log`: points evenly spread in log n (every sample at first, then ~120 per decade), for
 *   a log-n axis that keeps early and recent history readable together;
 * - `linear`: points evenly spread in n (every other point dropped when full, spacing doubled);
 * - `window`: points over the last W samples only, evenly spread, for "the last W samples".
 * Each point holds every model's Beta shape at its n; credible bounds are filled in later, only
 * for points a chart shows (see {@link EstimateHistory.fillBands}).
 */
import type { MemoryKind } from '../../../shared/posterior/posterior-memory'
import { newShapeSnapshot, ShapeSeries, type ShapeSnapshot } from './shape-series'

/** The three views of the history. */
export type HistoryView = 'log' | 'linear' | 'window'

/** Points per series before it thins itself out. */
export const HISTORY_CAPACITY = 640
/** Points the window view spreads over its W samples. */
export const WINDOW_POINTS = 240
/** Default W of the window view, in samples. */
export const DEFAULT_VIEW_WINDOW = 2000

const LOG_POINTS_PER_DECADE = 120

/** Computes the 95 % credible bounds of Beta(α, β). */
export type BandFunction = (alpha: number, beta: number) => { lower: number; upper: number }

/** Bounded, self-thinning history in three views. */
export class EstimateHistory {
  readonly #log = new ShapeSeries(HISTORY_CAPACITY)
  readonly #linear = new ShapeSeries(HISTORY_CAPACITY)
  readonly #window: ShapeSeries
  #logRatio = 10 ** (1 / LOG_POINTS_PER_DECADE)
  #logNext = 1
  #linearStep = 1
  #viewWindow: number
  #windowStep: number

  /** @param viewWindow W of the window view, an integer ≥ 1. */
  constructor(viewWindow = DEFAULT_VIEW_WINDOW) {
    this.#viewWindow = checkViewWindow(viewWindow)
    this.#windowStep = windowStep(this.#viewWindow)
    this.#window = new ShapeSeries(WINDOW_POINTS + 16)
  }

  /** W of the window view, in samples. */
  get viewWindow(): number {
    return this.#viewWindow
  }

  /** The series behind `view`. */
  series(view: HistoryView): ShapeSeries {
    return view === 'log' ? this.#log : view === 'linear' ? this.#linear : this.#window
  }

  /** True when a point at sample count `n` should be recorded (cheap; called per sample). */
  wants(n: number): boolean {
    return (
      n >= this.#logNext ||
      n - this.#linear.lastN >= this.#linearStep ||
      n - this.#window.lastN >= this.#windowStep
    )
  }

  /** Records the shapes at sample count `n` in every series that wants them. */
  record(n: number, shapes: ShapeSnapshot): void {
    if (n >= this.#logNext && n >= 1) {
      if (this.#log.full) {
        this.#log.keepEveryOther()
        this.#logRatio *= this.#logRatio
      }
      this.#log.push(n, shapes)
      this.#logNext = Math.max(n + 1, Math.ceil(n * this.#logRatio))
    }
    if (n - this.#linear.lastN >= this.#linearStep) {
      if (this.#linear.full) {
        this.#linear.keepEveryOther()
        this.#linearStep *= 2
      }
      this.#linear.push(n, shapes)
    }
    if (n - this.#window.lastN >= this.#windowStep) {
      this.#trimWindow(n)
      if (this.#window.full) this.#window.dropOldest(1)
      this.#window.push(n, shapes)
    }
  }

  /**
   * Changes W of the window view. The window series restarts from what the other two series
   * hold inside the new window (coarser), then fills in at the new spacing.
   * @throws RangeError unless W is an integer ≥ 1.
   */
  setViewWindow(viewWindow: number, currentN: number): void {
    this.#viewWindow = checkViewWindow(viewWindow)
    this.#windowStep = windowStep(this.#viewWindow)
    this.#window.clear()
    const from = currentN - this.#viewWindow
    const source =
      countFrom(this.#linear, from) >= countFrom(this.#log, from) ? this.#linear : this.#log
    const snapshot = newShapeSnapshot()
    // From the last point before the window's left edge on, so the line enters from the edge.
    let first = source.size - 1
    while (first > 0 && source.n(first) > from) first--
    for (let i = Math.max(0, first); i < source.size; i++) {
      if (this.#window.full) this.#window.dropOldest(1)
      source.shapes(i, snapshot)
      this.#window.push(source.n(i), snapshot)
    }
  }

  /** Drops every point (after a reset). */
  clear(): void {
    this.#log.clear()
    this.#linear.clear()
    this.#window.clear()
    this.#logNext = 1
    this.#linearStep = 1
    this.#logRatio = 10 ** (1 / LOG_POINTS_PER_DECADE)
  }

  /**
   * Fills in missing credible bounds of `kinds` for the points of `view`, newest first: at most
   * `budget` bands (each two quantile solves), and none once `outOfTime()` says so, so a burst
   * of history (a replay on opening the page) is spread over several frames.
   * @returns how many bands are still missing.
   */
  fillBands(
    view: HistoryView,
    kinds: readonly MemoryKind[],
    budget: number,
    band: BandFunction,
    outOfTime: () => boolean = () => false
  ): number {
    const series = this.series(view)
    let left = budget
    let missing = 0
    for (let i = series.size - 1; i >= 0; i--) {
      for (const kind of kinds) {
        if (!Number.isNaN(series.lower(i, kind))) continue
        if (left === 0) {
          missing++
          continue
        }
        const { lower, upper } = band(series.alpha(i, kind), series.beta(i, kind))
        series.setBand(i, kind, lower, upper)
        left--
        if (outOfTime()) left = 0
      }
    }
    return missing
  }

  // Keeps one point before the window's left edge, so the line enters from the edge.
  #trimWindow(n: number): void {
    const from = n - this.#viewWindow
    let drop = 0
    while (drop + 1 < this.#window.size && this.#window.n(drop + 1) <= from) drop++
    this.#window.dropOldest(drop)
  }
}

function checkViewWindow(value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`the view window must be an integer ≥ 1, got ${value}`)
  return value
}

function windowStep(viewWindow: number): number {
  return Math.max(1, Math.floor(viewWindow / WINDOW_POINTS))
}

function countFrom(series: ShapeSeries, from: number): number {
  let count = 0
  for (let i = series.size - 1; i >= 0 && series.n(i) >= from; i--) count++
  return count
}
