/** Number formatting for the panels: fixed, readable, never "NaN" on screen. */
import type { BetaSummary } from '../../../shared/posterior/beta-summary'

/** A probability-like value with `digits` decimals (default 4); "—" when not finite. */
export function formatProbability(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  // Tiny but non-zero values (e.g. a CI bound of Beta(1, 1e9)) would print as 0.0000.
  if (value !== 0 && Math.abs(value) < 10 ** -digits) return value.toExponential(2)
  return value.toFixed(digits)
}

// One formatter for every count: toLocaleString() builds a new one per call, which shows up in
// a frame's budget when a dozen counts change 60 times a second.
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** An integer count with thousands separators. */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? COUNT.format(Math.round(value)) : '—'
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
  return perSecond < 100 ? perSecond.toFixed(1) : formatCount(perSecond)
}

/** An interval in ms, e.g. "100 ms", "2.5 ms", "1 min". */
export function formatInterval(ms: number): string {
  if (!Number.isFinite(ms)) return '—'
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`
  return `${Number(ms.toPrecision(6))} ms`
}

/**
 * P(p > 0.5) with 4 decimals: "> 0.9999" and "< 0.0001" at the extremes (never a bare 1.0000 or
 * 0.0000, which would claim certainty), prefixed with "≈" where the cdf is known to be imprecise.
 */
export function formatProbAboveHalf(summary: BetaSummary): string {
  const value = summary.probAboveHalf
  let text: string
  if (!Number.isFinite(value)) text = '—'
  else if (value > 0.99995) text = '> 0.9999'
  else if (value < 0.00005) text = '< 0.0001'
  else text = value.toFixed(4)
  return summary.probAboveHalfApproximate ? `≈ ${text}` : text
}

// A narrow no-break space groups digits inside Beta(…), where a comma would read as the
// argument separator: Beta(12 649, 48 887).
const GROUP = '\u202f'

/** A shape parameter with digits grouped by a thin space, e.g. "12 649" or "3.25". */
export function formatShapeGrouped(value: number): string {
  return formatShape(value).replaceAll(',', GROUP)
}

/** "Beta(α, β)" with both parameters written so the comma between them is the only comma. */
export function formatBetaShape(alpha: number, beta: number): string {
  return `Beta(${formatShapeGrouped(alpha)}, ${formatShapeGrouped(beta)})`
}

/** A count of samples as a compact effective sample size ("≈ 199.8" → "200"). */
export function formatEffectiveN(value: number): string {
  if (!Number.isFinite(value)) return '—'
  const tenths = Math.round(value * 10) / 10
  return tenths >= 100 || Number.isInteger(tenths) ? formatCount(tenths) : tenths.toFixed(1)
}

/**
 * Decimals worth showing for an estimate with standard deviation `sd`: one more than the first
 * significant digit of sd, between 3 and 9 (4 at n ≈ 1000, 6 at n ≈ 1e6).
 */
export function decimalsFor(sd: number): number {
  if (!(sd > 0) || !Number.isFinite(sd)) return 4
  return Math.min(9, Math.max(3, Math.ceil(-Math.log10(sd)) + 1))
}
