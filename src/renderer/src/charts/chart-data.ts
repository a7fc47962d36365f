/** Pure conversions from posterior state to chart.js point arrays (fresh plain arrays). */
import type { DensityCurve } from '../../../shared/posterior/beta-density'
import type { EstimateMark, EstimateSeries } from '../state/posterior.svelte'

/** A chart.js point. */
export interface XY {
  x: number
  y: number
}

/** A mark point carrying its tooltip text. */
export interface MarkPoint extends XY {
  label: string
}

/** Headroom above the peak (relative density 1, or p = 1) so lines at the top stay visible. */
export const TOP = 1.05

/** The density curve as points. */
export function densityPoints(curve: DensityCurve): XY[] {
  return curve.x.map((x, i) => ({ x, y: curve.relative[i] as number }))
}

/**
 * The part of the curve between `lower` and `upper` (the credible interval), with end points
 * interpolated on the bounds, for shading the area under it.
 */
export function intervalPoints(curve: DensityCurve, lower: number, upper: number): XY[] {
  const out: XY[] = []
  const { x, relative } = curve
  const at = (t: number): number => {
    // Linear interpolation between the grid points around t.
    let i = 1
    while (i < x.length - 1 && (x[i] as number) < t) i++
    const x0 = x[i - 1] as number
    const x1 = x[i] as number
    const y0 = relative[i - 1] as number
    const y1 = relative[i] as number
    return x1 === x0 ? y1 : y0 + ((y1 - y0) * (t - x0)) / (x1 - x0)
  }
  if (!(upper > lower) || x.length < 2) return out
  out.push({ x: lower, y: at(lower) })
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number
    if (xi > lower && xi < upper) out.push({ x: xi, y: relative[i] as number })
  }
  out.push({ x: upper, y: at(upper) })
  return out
}

/** A vertical line at `x` from 0 to {@link TOP}; empty when `x` is unknown. */
export function verticalLine(x: number | null): XY[] {
  return x === null
    ? []
    : [
        { x, y: 0 },
        { x, y: TOP }
      ]
}

/** Series of the estimate chart. */
export interface EstimateChartData {
  mean: XY[]
  lower: XY[]
  upper: XY[]
  truth: XY[]
  marks: Record<EstimateMark['kind'], MarkPoint[]>
  /** Right end of the x axis (at least 1, so an empty chart still has an axis). */
  maxN: number
}

/** Splits the estimate series into chart.js datasets. */
export function estimateChartData(series: EstimateSeries): EstimateChartData {
  const mean: XY[] = []
  const lower: XY[] = []
  const upper: XY[] = []
  for (const p of series.points) {
    mean.push({ x: p.n, y: p.mean })
    lower.push({ x: p.n, y: p.lower })
    upper.push({ x: p.n, y: p.upper })
  }
  const marks: EstimateChartData['marks'] = { interval: [], gap: [], prior: [] }
  for (const m of series.marks)
    marks[m.kind].push({ x: m.n, y: m.kind === 'gap' ? 0 : 1, label: m.label })
  const lastN = series.points.at(-1)?.n ?? 0
  return {
    mean,
    lower,
    upper,
    truth: series.pSteps.map((s) => ({ x: s.n, y: s.p })),
    marks,
    maxN: Math.max(1, lastN)
  }
}
