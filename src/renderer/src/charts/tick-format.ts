/** Axis tick labels: short, and never in exponent notation for ordinary numbers. */

/**
 * A tick value: counts as 1, 20, 500, 2k, 1.5M; probabilities with the digits they need.
 * @param step the spacing of the axis's ticks, when known: labels get the decimals that tell
 *   neighbours apart (556.5k beside 557k, not 557k twice).
 */
export function formatTick(value: number, step = 0): string {
  if (!Number.isFinite(value)) return ''
  const abs = Math.abs(value)
  for (const [unit, suffix] of [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k']
  ] as const) {
    if (abs >= unit * (unit === 1e3 ? 10 : 1))
      return `${scaled(value / unit, step / unit)}${suffix}`
  }
  if (abs >= 1) return scaled(value, step)
  // Probabilities: as many decimals as the value needs (0.2, 0.205, 0.2045), at most 8.
  return String(Number(value.toFixed(8)))
}

/** `formatTick` for a chart.js tick callback: the step is read from the ticks themselves. */
export function tickLabel(
  value: number | string,
  index: number,
  ticks: Array<{ value: number }>
): string {
  const step =
    ticks.length > 1
      ? Math.abs((ticks[1] as { value: number }).value - (ticks[0] as { value: number }).value)
      : 0
  return formatTick(Number(value), step)
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

// At most one decimal for round values, more only when the step needs them to differ.
function scaled(value: number, step: number): string {
  const needed = step > 0 ? Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)) : 0
  const decimals = Math.min(3, Math.max(needed, Math.abs(value) >= 100 ? 0 : 1))
  return String(Number(value.toFixed(decimals)))
}

/** Decimals that tell apart the ends of a range `span` wide (2 for 0.4, 4 for 0.004). */
export function tickDecimals(span: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 2
  return Math.min(8, Math.max(1, Math.ceil(-Math.log10(span)) + 1))
}
