/** Number formatting for the panels: fixed, readable, never "NaN" on screen. */
import type { BetaSummary } from '../../../shared/posterior/beta-summary'

/** A probability-like value with `digits` decimals (default 4); "—" when not finite. */
export function formatProbability(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  // Tiny but non-zero values (e.g. a CI bound of Beta(1, 1e9)) would print as 0.0000.
  if (value !== 0 && Math.abs(value) < 10 ** -digits) return value.toExponential(2)
  return value.toFixed(digits)
}

/** An integer count with thousands separators. */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—'
}

/** A Beta shape parameter: integers as counts, other values with up to 4 significant decimals. */
export function formatShape(value: number): string {
  if (!Number.isFinite(value)) return '—'
  return Number.isInteger(value)
    ? formatCount(value)
    : Number(value.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 })
}

/** Samples per second: one decimal below 100/s, whole numbers above. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '0'
  return perSecond < 100 ? perSecond.toFixed(1) : Math.round(perSecond).toLocaleString('en-US')
}

/** An interval in ms, e.g. "100 ms", "2.5 ms", "1 min". */
export function formatInterval(ms: number): string {
  if (!Number.isFinite(ms)) return '—'
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`
  return `${Number(ms.toPrecision(6))} ms`
}

/** P(p > 0.5), prefixed with "≈" where the underlying cdf is known to be imprecise. */
export function formatProbAboveHalf(summary: BetaSummary): string {
  const text = formatProbability(summary.probAboveHalf)
  return summary.probAboveHalfApproximate ? `≈ ${text}` : text
}

/**
 * Decimals worth showing for an estimate with standard deviation `sd`: one more than the first
 * significant digit of sd, between 3 and 9 (4 at n ≈ 1000, 6 at n ≈ 1e6).
 */
export function decimalsFor(sd: number): number {
  if (!(sd > 0) || !Number.isFinite(sd)) return 4
  return Math.min(9, Math.max(3, Math.ceil(-Math.log10(sd)) + 1))
}
