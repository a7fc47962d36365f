/** Which charts one animation frame redraws. */
export interface StaggerPlan {
  density: boolean
  estimate: boolean
  /** True when a chart is still behind and another frame should follow. */
  again: boolean
}

/** The charts a frame may redraw. */
export type ChartName = 'density' | 'estimate'

/**
 * Spreads the two charts' redraws over consecutive frames when the stream keeps every frame
 * busy (1000 samples/s): each chart then redraws every other frame (30 times a second) and a
 * frame does half the drawing, so it stays well inside its 16 ms. When frames are not back to
 * back (slower streams), both charts redraw together and nothing lags.
 */
export class ChartStagger {
  #lastFrameMs = -Infinity
  #densityNext = true
  #stale = { density: false, estimate: false }

  /** @param backToBackMs frames closer than this (ms) count as back to back; default 40. */
  constructor(private readonly backToBackMs = 40) {}

  /** New data arrived: `chart` (default both) is out of date. */
  markStale(chart?: ChartName): void {
    if (chart !== 'estimate') this.#stale.density = true
    if (chart !== 'density') this.#stale.estimate = true
  }

  /** The plan for a frame starting at `nowMs` (a monotonic clock, ms). */
  next(nowMs: number): StaggerPlan {
    const backToBack = nowMs - this.#lastFrameMs < this.backToBackMs
    this.#lastFrameMs = nowMs
    const { density, estimate } = this.#stale
    if (!backToBack || !density || !estimate) {
      this.#stale = { density: false, estimate: false }
      return { density, estimate, again: false }
    }
    const drawDensity = this.#densityNext
    this.#densityNext = !drawDensity
    this.#stale = { density: !drawDensity, estimate: drawDensity }
    return { density: drawDensity, estimate: !drawDensity, again: true }
  }
}
