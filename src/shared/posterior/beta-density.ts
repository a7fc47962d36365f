import betaLogpdf from '@stdlib/stats-base-dists-beta-logpdf'
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile'
import { isValidShape } from './beta-posterior'
import { betaMode } from './beta-summary'

/** Default number of grid points for a density curve. */
export const DEFAULT_DENSITY_POINTS = 200

/**
 * Which part of [0, 1] the curve covers:
 * - `full`: all of [0, 1] (the default view). When the posterior is too narrow for the uniform
 *   grid to resolve, extra points are added where the mass is, so the peak keeps its shape and
 *   height instead of falling between grid points;
 * - `mass`: only the region holding all but ~2e-6 of the mass (quantiles 1e-6 and 1 − 1e-6),
 *   padded by 5 % each side: a zoomed view for concentrated posteriors;
 * - `{ from, to }`: exactly that part of [0, 1] (several curves on one chart share it), with
 *   extra points where the mass is when the grid is too coarse for it, as for `full`.
 */
export type DensityRange = 'full' | 'mass' | { from: number; to: number }

/** Options of {@link betaDensityCurve}. */
export interface DensityCurveOptions {
  /** Grid points across the range, ≥ 2; default {@link DEFAULT_DENSITY_POINTS}. */
  points?: number
  /** Default `full`. */
  range?: DensityRange
  /** {@link massWindow} of this α and β when the caller already has it (saves two quantiles). */
  mass?: readonly [number, number]
}

/** A density curve ready to plot; the arrays are fresh and plain (safe to hand to chart.js). */
export interface DensityCurve {
  /** Grid points in ascending order, within [xMin, xMax]. */
  x: number[]
  /** Natural-log density at each x; −Infinity where the density is 0, +Infinity at an unbounded end. */
  logDensity: number[]
  /**
   * exp(logDensity − max finite logDensity): the density relative to its peak, in [0, 1].
   * Unbounded ends (α < 1 at 0, β < 1 at 1) are clipped to 1. Computing in log space keeps this
   * finite for any α, β: the raw density of Beta(1, 1e9) at 0 is 1e9, and ratios of such
   * numbers formed directly would overflow long before the logs do.
   */
  relative: number[]
  /** Left end of the plotted range. */
  xMin: number
  /** Right end of the plotted range. */
  xMax: number
}

// Quantiles bounding the "mass" window: all but 2e-6 of the probability lies between them.
const MASS_TAIL = 1e-6
const NEAR_NORMAL_SHAPE = 1000
const NORMAL_WINDOW_SD = 5.5
// The uniform grid resolves a peak if its mass window spans at least this many grid steps.
const MIN_STEPS_ACROSS_MASS = 20

/**
 * Log density of Beta(α, β) on a grid, plus its peak-normalised form for plotting.
 * Cost: `points` logpdf calls (plus up to points/4 more and two quantiles for narrow posteriors).
 * @throws RangeError when α or β is not a finite number > 0, or `points` < 2.
 */
export function betaDensityCurve(
  alpha: number,
  beta: number,
  options: DensityCurveOptions = {}
): DensityCurve {
  if (!isValidShape(alpha) || !isValidShape(beta)) {
    throw new RangeError(`Beta shape parameters must be finite and > 0, got (${alpha}, ${beta})`)
  }
  const points = options.points ?? DEFAULT_DENSITY_POINTS
  if (!Number.isInteger(points) || points < 2)
    throw new RangeError(`points must be an integer ≥ 2, got ${points}`)

  const range = options.range ?? 'full'
  const [massLow, massHigh] = options.mass ?? massWindow(alpha, beta)
  let xs: number[]
  let xMin = 0
  let xMax = 1
  if (range === 'mass') {
    const pad = (massHigh - massLow) * 0.05
    xMin = Math.max(0, massLow - pad)
    xMax = Math.min(1, massHigh + pad)
    xs = linspace(xMin, xMax, points)
  } else {
    if (range !== 'full') {
      if (!(range.from >= 0 && range.to <= 1 && range.from < range.to))
        throw new RangeError(
          `range must lie in [0, 1] with from < to, got [${range.from}, ${range.to}]`
        )
      xMin = range.from
      xMax = range.to
    }
    xs = linspace(xMin, xMax, points)
    const low = Math.max(xMin, massLow)
    const high = Math.min(xMax, massHigh)
    const stepsAcross = ((massHigh - massLow) / (xMax - xMin)) * (points - 1)
    if (high > low && stepsAcross < MIN_STEPS_ACROSS_MASS) {
      xs.push(...linspace(low, high, Math.max(2, Math.floor(points / 4))))
    }
  }
  // Put the mode on the grid so the plotted peak is exactly 1 where the MAP is.
  const mode = betaMode(alpha, beta).value
  if (mode !== null && mode > xMin && mode < xMax) xs.push(mode)
  xs = sortedUnique(xs)

  const logDensity = xs.map((x) => betaLogpdf(x, alpha, beta))
  let maxFinite = -Infinity
  for (const v of logDensity) if (Number.isFinite(v) && v > maxFinite) maxFinite = v
  const relative = logDensity.map((v) => {
    if (v === Infinity) return 1
    if (!Number.isFinite(maxFinite)) return 0
    return Math.min(1, Math.exp(v - maxFinite))
  })
  return { x: xs, logDensity, relative, xMin, xMax }
}

/**
 * Where essentially all the mass of Beta(α, β) lies: [quantile(1e-6), quantile(1 − 1e-6)].
 * Only a plotting window, so when both α and β exceed {@link NEAR_NORMAL_SHAPE} (skewness
 * below ~0.06) it is mean ± {@link NORMAL_WINDOW_SD} sd instead: a little wider than the exact
 * quantiles (±4.75 sd for a normal) and free of the two iterative quantile solves, which are
 * most of a frame's cost for posteriors of 1e8 samples and more.
 */
export function massWindow(alpha: number, beta: number): [number, number] {
  if (alpha > NEAR_NORMAL_SHAPE && beta > NEAR_NORMAL_SHAPE) {
    const total = alpha + beta
    const mean = alpha / total
    const sd = Math.sqrt((mean * (beta / total)) / (total + 1))
    return [Math.max(0, mean - NORMAL_WINDOW_SD * sd), Math.min(1, mean + NORMAL_WINDOW_SD * sd)]
  }
  const low = betaQuantile(MASS_TAIL, alpha, beta)
  const high = betaQuantile(1 - MASS_TAIL, alpha, beta)
  // Guard against a degenerate window (both quantiles rounding to the same double).
  if (!(high > low)) return [Math.max(0, low - 1e-12), Math.min(1, high + 1e-12)]
  return [low, high]
}

function linspace(from: number, to: number, count: number): number[] {
  const step = (to - from) / (count - 1)
  const out = new Array<number>(count)
  for (let i = 0; i < count; i++) out[i] = i === count - 1 ? to : from + i * step
  return out
}

function sortedUnique(values: number[]): number[] {
  values.sort((a, b) => a - b)
  const out: number[] = []
  for (const v of values) if (out.length === 0 || v !== out[out.length - 1]) out.push(v)
  return out
}
