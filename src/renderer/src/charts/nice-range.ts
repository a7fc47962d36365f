/**
 * Axis ranges that follow the data without jittering: bounds are padded, kept at least a minimum
 * span apart, clamped to the domain and snapped outward to a round step, so they move in visible
 * jumps only when the data really moves.
 */

/** A closed interval. */
export interface Range {
  min: number
  max: number
}

/** Options of {@link niceRange}. */
export interface NiceRangeOptions {
  /** Fraction of the span added on each side; default 0.08. */
  pad?: number
  /** Smallest span shown; default 0. */
  minSpan?: number
  /** The domain the range stays inside; default [−∞, ∞]. */
  domain?: Range
}

/** A round step (1, 2 or 5 × 10^k) close to `span / 10`. */
export function niceStep(span: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1
  const raw = span / 10
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const scaled = raw / magnitude
  const factor = scaled < 1.5 ? 1 : scaled < 3.5 ? 2 : scaled < 7.5 ? 5 : 10
  return factor * magnitude
}

/** A range covering [low, high], padded, at least `minSpan` wide, snapped to a round step. */
export function niceRange(low: number, high: number, options: NiceRangeOptions = {}): Range {
  const domain = options.domain ?? { min: -Infinity, max: Infinity }
  let min = Math.min(low, high)
  let max = Math.max(low, high)
  const minSpan = options.minSpan ?? 0
  if (max - min < minSpan) {
    const mid = (min + max) / 2
    min = mid - minSpan / 2
    max = mid + minSpan / 2
  }
  const pad = (max - min) * (options.pad ?? 0.08)
  min -= pad
  max += pad
  const step = niceStep(max - min)
  min = Math.floor(min / step) * step
  max = Math.ceil(max / step) * step
  min = Math.max(domain.min, min)
  max = Math.min(domain.max, max)
  // Drop rounding noise such as 0.30000000000000004.
  return { min: Number(min.toPrecision(12)), max: Number(max.toPrecision(12)) }
}
