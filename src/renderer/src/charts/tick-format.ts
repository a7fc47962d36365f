/** Axis tick labels: short, and never in exponent notation for ordinary numbers. */

/** A tick value: counts as 1, 20, 500, 2k, 1.5M; probabilities with the digits they need. */
export function formatTick(value: number): string {
  if (!Number.isFinite(value)) return ''
  const abs = Math.abs(value)
  if (abs >= 1e9) return `${trim(value / 1e9)}G`
  if (abs >= 1e6) return `${trim(value / 1e6)}M`
  if (abs >= 1e4) return `${trim(value / 1e3)}k`
  if (abs >= 1) return trim(value)
  // Probabilities: as many decimals as the value needs (0.2, 0.205, 0.2045), at most 8.
  return String(Number(value.toFixed(8)))
}

/**
 * Labels for a log axis: only 1, 2 and 5 times a power of ten (only powers of ten when the axis
 * spans more than four decades), so labels never crowd.
 * @param decades how many decades the axis spans.
 */
export function formatLogTick(value: number, decades: number): string {
  if (!(value > 0)) return ''
  const scaled = value / 10 ** Math.floor(Math.log10(value) + 1e-9)
  const mantissa = Math.round(scaled)
  // Only exact 1, 2, 5 × 10^k: the axis ends (e.g. 142 000) get no label of their own.
  if (Math.abs(scaled - mantissa) > 1e-6) return ''
  const keep = decades > 4 ? mantissa === 1 : mantissa === 1 || mantissa === 2 || mantissa === 5
  return keep ? formatTick(value) : ''
}

function trim(value: number): string {
  return String(Number(value.toFixed(value >= 100 ? 0 : 1)))
}

/** Decimals that tell apart the ends of a range `span` wide (2 for 0.4, 4 for 0.004). */
export function tickDecimals(span: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 2
  return Math.min(8, Math.max(1, Math.ceil(-Math.log10(span)) + 1))
}
