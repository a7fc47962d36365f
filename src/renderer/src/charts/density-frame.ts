/**
 * The density chart's frame: the posterior densities shown (full memory, and the tracking
 * model when on) with their 95 % intervals shaded, the prior drawn faintly, and the true p —
 * over either all of [0, 1] or the range where the mass is, which follows the posteriors.
 */
import betaLogpdf from '@stdlib/stats-base-dists-beta-logpdf'
import { betaDensityCurve, massWindow } from '../../../shared/posterior/beta-density'
import type { BetaShape } from '../../../shared/posterior/beta-posterior'
import { betaMode, type CredibleInterval } from '../../../shared/posterior/beta-summary'
import type { MemoryKind } from '../../../shared/posterior/posterior-memory'
import type { DensityView } from './chart-view.svelte'
import { niceRange } from './nice-range'
import type { PosteriorReading, Readings } from './panel-frame'

/** A chart.js point. */
export interface XY {
  x: number
  y: number
}

/** One posterior's density: the curve (peak = 1) and the area under its 95 % interval. */
export interface DensityCurveFrame {
  kind: MemoryKind
  curve: XY[]
  band: XY[]
  interval: CredibleInterval
}

/** Everything the density chart draws; fresh plain arrays each time. */
export interface DensityFrame {
  /** The x range shown. */
  from: number
  to: number
  /** True when the range is narrower than [0, 1] (following the mass). */
  zoomed: boolean
  full: DensityCurveFrame
  tracking: DensityCurveFrame | null
  /** The prior's density relative to its own peak (faint, for comparison). */
  prior: XY[]
  /** The server's p; null before the first hello. */
  trueP: number | null
}

/** Headroom above the peak (relative density 1) so lines at the top stay visible. */
export const DENSITY_TOP = 1.05

// Following the mass is worth it only when it covers less than this much of [0, 1].
const ZOOM_BELOW_SPAN = 0.5
const PRIOR_POINTS = 120

/** Where each shown posterior holds its mass (see `massWindow`), computed once per frame. */
export interface MassWindows {
  full: readonly [number, number]
  tracking: readonly [number, number] | null
}

/** The mass windows of this frame's readings. */
export function massWindows(readings: Readings): MassWindows {
  const of = (r: PosteriorReading): [number, number] => massWindow(r.shape.alpha, r.shape.beta)
  return { full: of(readings.full), tracking: readings.tracking ? of(readings.tracking) : null }
}

/** The x range to show: [0, 1], or around the posteriors' mass and the true p. */
export function densityRange(
  mass: MassWindows,
  trueP: number | null,
  view: DensityView
): { from: number; to: number; zoomed: boolean } {
  if (view === 'full') return { from: 0, to: 1, zoomed: false }
  let low = mass.full[0]
  let high = mass.full[1]
  if (mass.tracking) {
    low = Math.min(low, mass.tracking[0])
    high = Math.max(high, mass.tracking[1])
  }
  if (trueP !== null) {
    low = Math.min(low, trueP)
    high = Math.max(high, trueP)
  }
  if (!(high - low < ZOOM_BELOW_SPAN)) return { from: 0, to: 1, zoomed: false }
  const range = niceRange(low, high, { pad: 0.06, minSpan: 1e-6, domain: { min: 0, max: 1 } })
  return { from: range.min, to: range.max, zoomed: range.max - range.min < 1 }
}

/**
 * Builds the density frame.
 * @param priors where the prior's curve is kept between frames (one per chart).
 */
export function buildDensityFrame(
  readings: Readings,
  prior: BetaShape,
  trueP: number | null,
  view: DensityView,
  priors: PriorCurves = new PriorCurves()
): DensityFrame {
  const mass = massWindows(readings)
  const { from, to, zoomed } = densityRange(mass, trueP, view)
  const range = { from, to }
  return {
    from,
    to,
    zoomed,
    full: curveFrame(readings.full, range, mass.full),
    tracking:
      readings.tracking && mass.tracking
        ? curveFrame(readings.tracking, range, mass.tracking)
        : null,
    prior: priors.curve(prior, range),
    trueP
  }
}

function curveFrame(
  reading: PosteriorReading,
  range: { from: number; to: number },
  mass: readonly [number, number]
): DensityCurveFrame {
  const { alpha, beta } = reading.shape
  const curve = betaDensityCurve(alpha, beta, { range, mass })
  const points = curve.x.map((x, i) => ({ x, y: curve.relative[i] as number }))
  const { interval } = reading.summary
  return {
    kind: reading.kind,
    curve: points,
    band: intervalPoints(points, interval.lower, interval.upper),
    interval
  }
}

/**
 * The prior's curve, which changes only with the prior or the range: the last one is kept, so a
 * frame whose range did not move (or the full view) does not recompute it.
 */
export class PriorCurves {
  #last: { prior: BetaShape; from: number; to: number; points: XY[] } | null = null

  curve(prior: BetaShape, range: { from: number; to: number }): XY[] {
    const last = this.#last
    if (last && last.prior === prior && last.from === range.from && last.to === range.to)
      return last.points
    const points = priorCurve(prior, range)
    this.#last = { prior, from: range.from, to: range.to, points }
    return points
  }
}

// The prior relative to its global peak (not the peak inside the range), so in a zoomed view it
// shows how flat it is there.
function priorCurve(prior: BetaShape, range: { from: number; to: number }): XY[] {
  const curve = betaDensityCurve(prior.alpha, prior.beta, { range, points: PRIOR_POINTS })
  const mode = betaMode(prior.alpha, prior.beta)
  const peak =
    mode.kind === 'interior' && mode.value !== null
      ? betaLogpdf(mode.value, prior.alpha, prior.beta)
      : Math.max(...curve.logDensity.filter(Number.isFinite))
  return curve.x.map((x, i) => {
    const log = curve.logDensity[i] as number
    return {
      x,
      y: Number.isFinite(log) && Number.isFinite(peak) ? Math.min(1, Math.exp(log - peak)) : 0
    }
  })
}

/**
 * The part of a curve between `lower` and `upper`, with end points interpolated on the bounds,
 * for shading the area under it.
 */
export function intervalPoints(curve: readonly XY[], lower: number, upper: number): XY[] {
  const out: XY[] = []
  if (!(upper > lower) || curve.length < 2) return out
  const at = (t: number): number => {
    let i = 1
    while (i < curve.length - 1 && (curve[i] as XY).x < t) i++
    const a = curve[i - 1] as XY
    const b = curve[i] as XY
    return b.x === a.x ? b.y : a.y + ((b.y - a.y) * (t - a.x)) / (b.x - a.x)
  }
  out.push({ x: lower, y: at(lower) })
  for (const point of curve) if (point.x > lower && point.x < upper) out.push(point)
  out.push({ x: upper, y: at(upper) })
  return out
}
