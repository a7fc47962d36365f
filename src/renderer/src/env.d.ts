/// <reference types="svelte" />
/// <reference types="vite/client" />

// `window.bernoulli` (the preload bridge, absent in a plain browser) is declared once, next to
// the bridge, in src/preload/index.d.ts, which tsconfig.web.json includes.

declare global {
  interface Window {
    /**
     * Counters for end-to-end tests, updated by the charts after every redraw (cheap; no effect
     * on the UI): points currently drawn in each chart and redraws so far.
     */
    __bernoulliCharts?: ChartCounters
  }
}

/** See `Window.__bernoulliCharts`. */
export interface ChartCounters {
  /** Points in the density curve dataset. */
  densityPoints: number
  /** Points in the posterior-mean dataset of the estimate chart. */
  estimatePoints: number
  densityUpdates: number
  estimateUpdates: number
  /**
   * Milliseconds each of the last frames spent updating the posterior and redrawing (DOM and
   * charts), newest last, at most 600; read by the benchmark.
   */
  frameWorkMs: number[]
}
