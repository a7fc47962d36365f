/**
 * The estimate chart's frame: posterior mean and 95 % band against n for full memory (and the
 * tracking model when on), the true p as a step line, and the timeline's marks, for one of
 * three x axes (log n, linear n, the last W samples). The y range follows the bands of the
 * recent part of the view and always keeps the true p in view.
 */
import type { MemoryKind } from '../../../shared/posterior/posterior-memory'
import type { EstimateHistory, HistoryView } from '../posterior/estimate-history'
import type { PStep, TimelineMark } from '../posterior/timeline'
import type { EstimateScale } from './chart-view.svelte'
import type { XY } from './density-frame'
import { niceRange, type Range } from './nice-range'
import type { PosteriorReading, Readings } from './panel-frame'

/** Mean and band of one posterior over the view. */
export interface EstimateLine {
  kind: MemoryKind
  mean: XY[]
  /** Band edges, at the points whose bounds are computed (same x in both). */
  upper: XY[]
  lower: XY[]
}

/** A mark with its position. */
export interface MarkPoint extends XY {
  mark: TimelineMark
}

/** Everything the estimate chart draws; fresh plain arrays each time. */
export interface EstimateFrame {
  scale: EstimateScale
  x: Range
  y: Range
  full: EstimateLine
  tracking: EstimateLine | null
  /** True p as a step line (explicit corners), clipped to the view. */
  truth: XY[]
  marks: MarkPoint[]
  /** History points whose band is still being computed (spread over frames). */
  bandsPending: number
}

/** What the estimate frame is built from. */
export interface EstimateInputs {
  history: EstimateHistory
  scale: EstimateScale
  readings: Readings
  /** Samples counted (n). */
  trials: number
  pSteps: readonly PStep[]
  marks: readonly TimelineMark[]
  /** The server's p now, extending the step line to the present; null when unknown. */
  trueP: number | null
  bandsPending: number
}

const HISTORY_VIEW: Record<EstimateScale, HistoryView> = {
  log: 'log',
  linear: 'linear',
  window: 'window'
}

// The y range follows the bands of this newest fraction of the view.
const RECENT_FRACTION = 0.25
const MIN_Y_SPAN = 0.04

/** Which history series feeds `scale`. */
export function historyView(scale: EstimateScale): HistoryView {
  return HISTORY_VIEW[scale]
}

/** The x range of `scale` at sample count `n` (W of the window view from the history). */
export function xRange(scale: EstimateScale, n: number, viewWindow: number): Range {
  switch (scale) {
    case 'log':
      return { min: 1, max: Math.max(10, n) }
    case 'linear':
      return { min: 0, max: Math.max(1, n) }
    case 'window':
      return { min: Math.max(0, n - viewWindow), max: Math.max(viewWindow, n) }
  }
}

/** Builds the estimate frame. */
export function buildEstimateFrame(inputs: EstimateInputs): EstimateFrame {
  const { history, scale, readings, trials } = inputs
  const x = xRange(scale, trials, history.viewWindow)
  const full = line(inputs, readings.full, x)
  const tracking = readings.tracking ? line(inputs, readings.tracking, x) : null
  const truth = truthLine(inputs.pSteps, inputs.trueP, trials, x)
  const marks: MarkPoint[] = []
  // Where the true p becomes known, when that is after the start: the page joined late.
  const firstStep = inputs.pSteps[0]
  if (firstStep && firstStep.n > 0)
    marks.push({
      x: firstStep.n,
      y: 1,
      mark: { n: firstStep.n, kind: 'joined', event: { kind: 'joined', p: firstStep.p } }
    })
  for (const mark of inputs.marks) {
    const at = scale === 'log' ? Math.max(1, mark.n) : mark.n
    if (at >= x.min && at <= x.max) marks.push({ x: at, y: 1, mark })
  }
  marks.sort((a, b) => a.x - b.x)
  return {
    scale,
    x,
    y: yRange(scale, x, full, tracking, truth),
    full,
    tracking,
    truth,
    marks,
    bandsPending: inputs.bandsPending
  }
}

function line(inputs: EstimateInputs, reading: PosteriorReading, x: Range): EstimateLine {
  const series = inputs.history.series(historyView(inputs.scale))
  const { kind } = reading
  const mean: XY[] = []
  const upper: XY[] = []
  const lower: XY[] = []
  // From the last point left of the view on, so lines enter from the left edge.
  let first = 0
  while (first + 1 < series.size && series.n(first + 1) <= x.min) first++
  for (let i = first; i < series.size; i++) {
    const n = series.n(i)
    if (inputs.scale === 'log' && n < 1) continue
    if (n >= inputs.trials) break
    const alpha = series.alpha(i, kind)
    mean.push({ x: n, y: alpha / (alpha + series.beta(i, kind)) })
    const low = series.lower(i, kind)
    if (!Number.isNaN(low)) {
      lower.push({ x: n, y: low })
      upper.push({ x: n, y: series.upper(i, kind) })
    }
  }
  // The present is always drawn, from this frame's reading.
  const n = inputs.scale === 'log' ? Math.max(1, inputs.trials) : inputs.trials
  const { summary } = reading
  mean.push({ x: n, y: summary.mean })
  lower.push({ x: n, y: summary.interval.lower })
  upper.push({ x: n, y: summary.interval.upper })
  return { kind, mean, upper, lower }
}

function truthLine(steps: readonly PStep[], trueP: number | null, n: number, x: Range): XY[] {
  const out: XY[] = []
  const end = Math.max(x.min, n)
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as PStep
    const next = i + 1 < steps.length ? (steps[i + 1] as PStep).n : end
    const from = Math.max(step.n, x.min)
    const to = Math.min(next, end)
    if (to < from) continue
    out.push({ x: from, y: step.p }, { x: to, y: step.p })
  }
  // The step line ends in the server's current p (it may have changed after the last step was
  // placed, while a replay catches up).
  if (trueP !== null && out.length > 0 && (out.at(-1) as XY).y !== trueP) {
    out.push({ x: end, y: trueP })
  }
  return out
}

function yRange(
  scale: EstimateScale,
  x: Range,
  full: EstimateLine,
  tracking: EstimateLine | null,
  truth: XY[]
): Range {
  const recentFrom =
    scale === 'log'
      ? x.max / (x.max / x.min) ** RECENT_FRACTION
      : x.max - (x.max - x.min) * RECENT_FRACTION
  let low = Infinity
  let high = -Infinity
  const take = (points: readonly XY[], from: number): void => {
    for (const point of points) {
      if (point.x < from || point.x > x.max) continue
      if (point.y < low) low = point.y
      if (point.y > high) high = point.y
    }
  }
  for (const l of [full, tracking]) {
    if (!l) continue
    take(l.mean, x.min)
    take(l.lower, recentFrom)
    take(l.upper, recentFrom)
  }
  take(truth, x.min)
  if (!Number.isFinite(low)) return { min: 0, max: 1 }
  return niceRange(low, high, { pad: 0.08, minSpan: MIN_Y_SPAN, domain: { min: 0, max: 1 } })
}
