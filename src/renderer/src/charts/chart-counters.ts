/**
 * End-to-end test hook: `window.__bernoulliCharts` holds how many points each chart draws and
 * how often it was redrawn, so a browser test can tell that charts follow the stream without
 * reading pixels. Four numbers, updated after each redraw; nothing reads them in the app.
 */
import type { ChartCounters } from '../env'

function counters(): ChartCounters {
  window.__bernoulliCharts ??= {
    densityPoints: 0,
    estimatePoints: 0,
    densityUpdates: 0,
    estimateUpdates: 0,
    frameWorkMs: []
  }
  return window.__bernoulliCharts
}

/** Records a density-chart redraw with `points` curve points. */
export function countDensityRedraw(points: number): void {
  const c = counters()
  c.densityPoints = points
  c.densityUpdates++
}

const FRAME_WORK_KEPT = 600

/** Records how long one frame's posterior update and redraw took, in milliseconds. */
export function recordFrameWork(ms: number): void {
  const kept = counters().frameWorkMs
  kept.push(ms)
  if (kept.length > FRAME_WORK_KEPT) kept.splice(0, kept.length - FRAME_WORK_KEPT)
}

/** Records an estimate-chart redraw with `points` posterior-mean points. */
export function countEstimateRedraw(points: number): void {
  const c = counters()
  c.estimatePoints = points
  c.estimateUpdates++
}
